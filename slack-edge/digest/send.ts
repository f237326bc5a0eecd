import type { WebClient } from '@slack/web-api';
import type pg from 'pg';
import { zonedTime } from '../../projections/targets/calendar.ts';
import type { CommandMetadata } from '../../schemas/commands.ts';
import type { Logger } from '../../schemas/logger.ts';
import { loadDigestPreference } from '../../write/digest/preference.ts';
import { recordWeeklyDigestSent } from '../../write/digest/sent.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import type { LanguageOf } from '../locale.ts';
import type { DigestClaims } from './claims.ts';
import { type DigestContent, digestMessage, loadDigestContent } from './content.ts';

/** The Slack message metadata a digest carries: which rep and week it is, so a resumed send finds it. */
export const digestMetadataType = 'salesai_weekly_digest';

export type DigestDeps = {
  pool: pg.Pool;
  store: EventStore;
  codec: EventCodec;
  client: WebClient;
  claims: DigestClaims;
  languageOf: LanguageOf;
  logger: Logger;
  timeZone: string;
  /** GROWTH_WINDOW_SESSIONS. */
  window: number;
  /** Who holds a claim (process and run), for the claims table. */
  owner: string;
  /** How long a claim is held before another process may take it over (default 2 minutes). */
  leaseMs?: number;
  clock?: () => Date;
};

export type DigestOutcome = 'sent' | 'resumed' | 'already' | 'busy' | 'opted_out';

type SlackMessage = {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
};

/** The digest an earlier holder of the claim posted without recording where (it died in between). */
const findPosted = async (deps: DigestDeps, channel: string, userId: string, week: string, since: Date) => {
  const history = await deps.client.conversations.history({
    channel,
    oldest: String(Math.floor(since.getTime() / 1000) - 60),
    include_all_metadata: true,
    limit: 200,
  });
  const found = ((history.messages ?? []) as SlackMessage[]).find(
    (m) =>
      m.metadata?.event_type === digestMetadataType &&
      m.metadata.event_payload?.user_id === userId &&
      m.metadata.event_payload?.week === week,
  );
  return found?.ts ?? null;
};

const metadataFor = (userId: string, week: string, now: Date): CommandMetadata => ({
  idempotencyKey: `weekly-digest:${userId}:${week}`,
  correlationId: `weekly-digest:${week}`,
  causationId: null,
  now: now.toISOString(),
  actor: { kind: 'system', id: 'weekly-digest' },
});

/** What the digest of a rep says this week (also what `--dry-run` prints). */
export const composeDigest = async (
  deps: DigestDeps,
  userId: string,
  week: string,
): Promise<DigestContent> => {
  const now = (deps.clock ?? (() => new Date()))();
  return loadDigestContent(deps.pool, userId, {
    week,
    language: await deps.languageOf(userId),
    now,
    today: zonedTime(now, deps.timeZone).date,
    window: deps.window,
  });
};

/**
 * Sends one rep's digest of one week, at most once across processes and crashes:
 * 1. take the claim (weekly_digest_claims); another process holds it ('busy') or it is done ('already');
 * 2. the rep turned the digest off: the claim is closed as skipped;
 * 3. a claim taken over from a holder that died: the message it may have posted is looked up
 *    (the claim row, else the DM's history by its metadata) before anything is posted;
 * 4. post, note where in the claim, record WeeklyDigestSent (idempotent), close the claim.
 */
export const sendWeeklyDigest = async (
  deps: DigestDeps,
  userId: string,
  week: string,
): Promise<DigestOutcome> => {
  const claim = await deps.claims.take(userId, week, deps.owner, deps.leaseMs ?? 120_000);
  if (claim === 'done') return 'already';
  if (claim === 'busy') return 'busy';
  try {
    if (!(await loadDigestPreference(deps, userId)).enabled) {
      await deps.claims.finish(userId, week, deps.owner, 'skipped');
      return 'opted_out';
    }
    const content = await composeDigest(deps, userId, week);
    let channel = claim.channelId;
    let ts = claim.messageTs;
    let outcome: DigestOutcome = ts ? 'resumed' : 'sent';
    if (!ts) {
      const opened = await deps.client.conversations.open({ users: userId });
      channel = opened.channel?.id ?? null;
      if (!channel) throw new Error(`conversations.open gave no channel for ${userId}`);
      ts = await findPosted(deps, channel, userId, week, claim.claimedAt);
      if (ts) outcome = 'resumed';
      else {
        const message = digestMessage(content);
        const posted = await deps.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          metadata: { event_type: digestMetadataType, event_payload: { user_id: userId, week } },
        });
        if (!posted.ts) throw new Error('chat.postMessage gave no ts');
        ts = posted.ts;
      }
      await deps.claims.posted(userId, week, deps.owner, channel, ts);
    }
    await recordWeeklyDigestSent(
      deps,
      { userId, week, channelId: channel!, messageTs: ts, sessions: content.growth.sessions },
      metadataFor(userId, week, (deps.clock ?? (() => new Date()))()),
    );
    await deps.claims.finish(userId, week, deps.owner, 'recorded');
    return outcome;
  } catch (error) {
    // Nothing posted yet: give the claim back so the next pass (any process) tries again at once.
    await deps.claims.release(userId, week, deps.owner).catch(() => {});
    throw error;
  }
};

export type DigestRunReport = Record<DigestOutcome | 'failed', number>;

/** Sends the digests of a week to these reps, a few at a time; failures are logged and counted. */
export const sendWeeklyDigests = async (
  deps: DigestDeps,
  userIds: readonly string[],
  week: string,
  concurrency = 4,
): Promise<DigestRunReport> => {
  const report: DigestRunReport = { sent: 0, resumed: 0, already: 0, busy: 0, opted_out: 0, failed: 0 };
  const queue = [...userIds];
  const worker = async () => {
    for (let userId = queue.shift(); userId !== undefined; userId = queue.shift()) {
      try {
        report[await sendWeeklyDigest(deps, userId, week)] += 1;
      } catch (error) {
        report.failed += 1;
        deps.logger.warn(
          { err: error, userId, week },
          'slack: weekly digest failed; retried on the next pass',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, worker));
  return report;
};
