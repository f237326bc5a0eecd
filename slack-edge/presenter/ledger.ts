import type pg from 'pg';
import type { Logger } from '../../schemas/logger.ts';

export type LedgerEntry = { messageTs: string | null; state: 'started' | 'posted' };

/** How long entries are kept: a reply is redone within minutes of its first attempt, or never. */
const retentionDays = 7;

/**
 * The record of replies shown in Slack (table slack_reply_posts). `claim` is the first step of
 * showing a reply: it tells whether an earlier attempt already began (and where its message
 * is) or finished. Postgres makes it shared by every process that presents replies.
 */
export type ReplyLedger = {
  claim(key: string, channelId: string): Promise<LedgerEntry | null>;
  messagePosted(key: string, messageTs: string): Promise<void>;
  finished(key: string, messageTs: string | null): Promise<void>;
  prune(): Promise<number>;
};

export const createReplyLedger = (pool: pg.Pool): ReplyLedger => ({
  claim: async (key, channelId) => {
    const inserted = await pool.query(
      `INSERT INTO slack_reply_posts (reply_key, channel_id, state) VALUES ($1, $2, 'started')
       ON CONFLICT (reply_key) DO NOTHING`,
      [key, channelId],
    );
    if (inserted.rowCount === 1) return null;
    const { rows } = await pool.query<{ message_ts: string | null; state: 'started' | 'posted' }>(
      'SELECT message_ts, state FROM slack_reply_posts WHERE reply_key = $1',
      [key],
    );
    const row = rows[0];
    return row ? { messageTs: row.message_ts, state: row.state } : null;
  },
  messagePosted: async (key, messageTs) => {
    await pool.query(
      `UPDATE slack_reply_posts SET message_ts = coalesce(message_ts, $2), updated_at = now() WHERE reply_key = $1`,
      [key, messageTs],
    );
  },
  finished: async (key, messageTs) => {
    await pool.query(
      `UPDATE slack_reply_posts SET state = 'posted', message_ts = coalesce(message_ts, $2), updated_at = now()
        WHERE reply_key = $1`,
      [key, messageTs],
    );
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
  messagePosted: async () => {},
  finished: async () => {},
  prune: async () => 0,
};

/**
 * The ledger guards against double posts; it must never stop a reply from being shown. A failing
 * database is logged and the reply shown as if the ledger had no record of it.
 */
export const forgivingLedger = (ledger: ReplyLedger, logger: Logger): ReplyLedger => {
  const guard =
    <A extends unknown[], R>(what: string, run: (...args: A) => Promise<R>, fallback: R) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } catch (error) {
        logger.warn({ err: error }, `slack: reply ledger ${what} failed; showing the reply regardless`);
        return fallback;
      }
    };
  return {
    claim: guard('claim', ledger.claim, null),
    messagePosted: guard('update', ledger.messagePosted, undefined),
    finished: guard('update', ledger.finished, undefined),
    prune: ledger.prune,
  };
};
