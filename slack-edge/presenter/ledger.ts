import type pg from 'pg';
import type { Logger } from '../../schemas/logger.ts';
import { isTransient } from '../../write/agent/reactor/transient.ts';

export type LedgerEntry = {
  messageTs: string | null;
  state: 'started' | 'posted';
  /** A stream Slack ended early: the reply's text from here on goes in a new message. */
  continuedFrom: number | null;
};

/** How long entries are kept: a reply is redone within minutes of its first attempt, or never. */
const retentionDays = 7;

/**
 * The record of replies shown in Slack (table slack_reply_posts). `claim` is the first step of
 * showing a reply: it tells whether an earlier attempt already began (and where its message
 * is) or finished. Postgres makes it shared by every process that presents replies.
 */
export type ReplyLedger = {
  claim(key: string, channelId: string): Promise<LedgerEntry | null>;
  /** The entry of a reply, without claiming it. */
  find(key: string): Promise<LedgerEntry | null>;
  messagePosted(key: string, messageTs: string): Promise<void>;
  /** The streamed message holds the reply up to `from`; the rest is about to be posted after it. */
  continuing(key: string, from: number): Promise<void>;
  finished(key: string, messageTs: string | null): Promise<void>;
  /** Which of these messages of the channel a reply's entry already points at. */
  claimedMessages(channelId: string, messageTs: readonly string[]): Promise<Set<string>>;
  prune(): Promise<number>;
};

const findEntry = async (pool: pg.Pool, key: string): Promise<LedgerEntry | null> => {
  const { rows } = await pool.query<{
    message_ts: string | null;
    state: 'started' | 'posted';
    continued_from: number | null;
  }>('SELECT message_ts, state, continued_from FROM slack_reply_posts WHERE reply_key = $1', [key]);
  const row = rows[0];
  return row ? { messageTs: row.message_ts, state: row.state, continuedFrom: row.continued_from } : null;
};

export const createReplyLedger = (pool: pg.Pool): ReplyLedger => ({
  claim: async (key, channelId) => {
    const inserted = await pool.query(
      `INSERT INTO slack_reply_posts (reply_key, channel_id, state) VALUES ($1, $2, 'started')
       ON CONFLICT (reply_key) DO NOTHING`,
      [key, channelId],
    );
    if (inserted.rowCount === 1) return null;
    return findEntry(pool, key);
  },
  find: (key) => findEntry(pool, key),
  messagePosted: async (key, messageTs) => {
    await pool.query(
      `UPDATE slack_reply_posts SET message_ts = coalesce(message_ts, $2), updated_at = now() WHERE reply_key = $1`,
      [key, messageTs],
    );
  },
  continuing: async (key, from) => {
    await pool.query(
      `UPDATE slack_reply_posts SET continued_from = coalesce(continued_from, $2), updated_at = now()
        WHERE reply_key = $1`,
      [key, from],
    );
  },
  finished: async (key, messageTs) => {
    await pool.query(
      `UPDATE slack_reply_posts SET state = 'posted', message_ts = coalesce(message_ts, $2), updated_at = now()
        WHERE reply_key = $1`,
      [key, messageTs],
    );
  },
  claimedMessages: async (channelId, messageTs) => {
    if (messageTs.length === 0) return new Set();
    const { rows } = await pool.query<{ message_ts: string }>(
      'SELECT message_ts FROM slack_reply_posts WHERE channel_id = $1 AND message_ts = ANY($2::text[])',
      [channelId, messageTs],
    );
    return new Set(rows.map((r) => r.message_ts));
  },
  prune: async () =>
    (
      await pool.query(`DELETE FROM slack_reply_posts WHERE updated_at < now() - make_interval(days => $1)`, [
        retentionDays,
      ])
    ).rowCount ?? 0,
});

/** A ledger that remembers nothing (no database: tests of the presenter alone). */
export const noLedger: ReplyLedger = {
  claim: async () => null,
  find: async () => null,
  messagePosted: async () => {},
  continuing: async () => {},
  finished: async () => {},
  claimedMessages: async () => new Set(),
  prune: async () => 0,
};

/**
 * The ledger guards against double posts; it must never stop a reply from being shown. A failing
 * database is logged and the reply shown as if the ledger had no record of it.
 */
export const forgivingLedger = (ledger: ReplyLedger, logger: Logger): ReplyLedger => {
  const guard =
    <A extends unknown[], R>(what: string, run: (...args: A) => Promise<R>, fallback: R, waitOut = false) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } catch (error) {
        // The database restarting: deciding without it could show a reply twice, so the attempt
        // fails and the agent makes it again once the database answers.
        if (waitOut && isTransient(error)) throw error;
        logger.warn({ err: error }, `slack: reply ledger ${what} failed; showing the reply regardless`);
        return fallback;
      }
    };
  return {
    claim: guard('claim', ledger.claim, null, true),
    // Unknown: nothing is resumed (showing a reply twice is worse than a rare stale placeholder).
    find: guard('lookup', ledger.find, null, true),
    messagePosted: guard('update', ledger.messagePosted, undefined),
    // Unrecorded (the database failing), a crash right after the continuation is posted would
    // show the remainder twice; the reply itself is never lost.
    continuing: guard('update', ledger.continuing, undefined),
    finished: guard('update', ledger.finished, undefined),
    // Unknown: every candidate counts as claimed, so nothing is taken over by mistake.
    claimedMessages: async (channelId, messageTs) => {
      try {
        return await ledger.claimedMessages(channelId, messageTs);
      } catch (error) {
        if (isTransient(error)) throw error;
        logger.warn({ err: error }, 'slack: reply ledger lookup failed; not reusing any message');
        return new Set(messageTs);
      }
    },
    prune: ledger.prune,
  };
};
