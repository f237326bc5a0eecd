import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { growthProjection } from '../../projections/growth/projection.ts';
import { skillTargetsProjection } from '../../projections/targets/projection.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { scoredSession, targetSet } from '../../test/helpers/coaching-events.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import { type SlackStub, startSlackStub } from '../../test/stubs/slack-api.ts';
import { handleDigestPreference } from '../../write/digest/preference.ts';
import { weeklyDigestStreamId } from '../../write/digest/sent.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createDigestClaims } from './claims.ts';
import { startDigestScheduler } from './scheduler.ts';
import { type DigestDeps, digestMetadataType, sendWeeklyDigest, sendWeeklyDigests } from './send.ts';

const now = new Date('2026-11-30T00:30:00Z'); // Monday 09:30 in Tokyo
const week = '2026-W49';
const day = (d: number) => new Date(Date.UTC(2026, 10, d, 3)).toISOString();
const reps = ['UAKI', 'UBEN', 'UCHO'];

describe('weekly digest: exactly once per rep and week across processes (real Postgres, Slack stub)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let slack: SlackStub;
  const deps = (owner: string, extra: Partial<DigestDeps> = {}): DigestDeps => ({
    pool: db.pool,
    store,
    codec: plainCodec,
    // A client of its own per "process", as two processes would have.
    client: new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
    claims: createDigestClaims(db.pool),
    languageOf: async (userId) => (userId === 'UBEN' ? 'en' : 'ja'),
    logger: silentLogger,
    timeZone: 'Asia/Tokyo',
    window: 8,
    owner,
    clock: () => now,
    ...extra,
  });
  const posts = (userId?: string) =>
    slack
      .calls('chat.postMessage')
      .filter(
        (c) =>
          !userId ||
          (c.body.metadata as { event_payload: { user_id: string } }).event_payload.user_id === userId,
      );

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
    slack = await startSlackStub();
    const growth = await setupTestProjection(db, growthProjection);
    const targets = await setupTestProjection(db, skillTargetsProjection);
    // Two sessions before last week, two in it (hearing rises, closing is the weakest).
    for (const user of reps) {
      await growth.apply([
        scoredSession(user, 1, day(10), { hearing: 2, closing: 2 }),
        scoredSession(user, 2, day(12), { hearing: 2, closing: 2 }),
        scoredSession(user, 3, day(25), { hearing: 4, closing: 2 }),
        scoredSession(user, 4, day(27), { hearing: 4, closing: 2 }),
      ]);
    }
    await targets.apply([targetSet('UAKI', 'closing', 3.5, '2027-01-31')]);
  });
  afterAll(async () => {
    await slack.close();
    await store.close();
    await db.drop();
  });
  beforeEach(async () => {
    slack.reset();
    await db.pool.query('DELETE FROM weekly_digest_claims');
  });

  it('two processes racing send one DM per rep, record one WeeklyDigestSent each; a second pass sends nothing', async () => {
    const [a, b] = await Promise.all([
      sendWeeklyDigests(deps('process-a'), reps, week),
      sendWeeklyDigests(deps('process-b'), reps, week),
    ]);
    expect(a.sent + b.sent).toBe(3);
    expect(a.failed + b.failed).toBe(0);
    for (const user of reps) expect(posts(user)).toHaveLength(1);
    const again = await sendWeeklyDigests(deps('process-c'), reps, week);
    expect(again).toMatchObject({ sent: 0, already: 3 });
    expect(posts()).toHaveLength(3);
    const recorded = await store.readStream(weeklyDigestStreamId('UAKI', week), {
      fromRevision: 0n,
      maxCount: 10,
    });
    expect(recorded.map((r) => r.type)).toEqual(['WeeklyDigestSent']);
  });

  it('says what the week held, in the rep’s language: sessions, per-skill change, the weakest skill’s exercise, targets', async () => {
    await sendWeeklyDigest(deps('p'), 'UAKI', week);
    await sendWeeklyDigest(deps('p'), 'UBEN', week);
    const ja = JSON.stringify(posts('UAKI')[0]!.body.blocks);
    expect(ja).toContain('先週のセッション：*2 回*');
    expect(ja).toContain('ヒアリング: +2.00');
    expect(ja).toContain('次の練習：クロージング');
    expect(ja).toContain('目標 3.5');
    const en = JSON.stringify(posts('UBEN')[0]!.body.blocks);
    expect(en).toContain('Sessions last week: *2*');
    expect(en).toContain('Next practice: Closing');
  });

  it('a process that died after its claim is taken over once its lease ends, with one DM', async () => {
    const dead = createDigestClaims(db.pool);
    expect(await dead.take('UAKI', week, 'dead', 0)).toMatchObject({ state: 'claimed' });
    expect(await sendWeeklyDigest(deps('live'), 'UAKI', week)).toBe('sent');
    expect(posts('UAKI')).toHaveLength(1);
  });

  it('a process that died between its post and noting it: the DM is found by its metadata, not sent again', async () => {
    const dead = createDigestClaims(db.pool);
    await dead.take('UBEN', week, 'dead', 0);
    const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl });
    const channel = (await client.conversations.open({ users: 'UBEN' })).channel!.id!;
    await client.chat.postMessage({
      channel,
      text: 'digest',
      metadata: { event_type: digestMetadataType, event_payload: { user_id: 'UBEN', week } },
    });
    expect(await sendWeeklyDigest(deps('live'), 'UBEN', week)).toBe('resumed');
    expect(posts('UBEN')).toHaveLength(1);
    const recorded = await store.readStream(weeklyDigestStreamId('UBEN', week), {
      fromRevision: 0n,
      maxCount: 10,
    });
    expect(recorded).toHaveLength(1);
  });

  it('a claim held by a live process is left alone', async () => {
    await createDigestClaims(db.pool).take('UCHO', week, 'alive', 60_000);
    expect(await sendWeeklyDigest(deps('other'), 'UCHO', week)).toBe('busy');
    expect(posts()).toHaveLength(0);
  });

  it('two schedulers (one per process) due at the same time send one DM per rep between them', async () => {
    const reports: Record<string, number>[] = [];
    const schedulers = ['scheduler-a', 'scheduler-b'].map((owner) =>
      startDigestScheduler({
        schedule: { weekday: 1, hour: 9, minute: 0 },
        timeZone: 'Asia/Tokyo',
        clock: () => now,
        pollMs: 3_600_000,
        run: async (w) => {
          const report = await sendWeeklyDigests(deps(owner), reps, w);
          reports.push(report);
          return report;
        },
        onError: (error) => {
          throw error;
        },
      }),
    );
    // Each ran its pass on start; stop waits for it.
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(reports).toHaveLength(2);
    expect(reports.reduce((n, r) => n + (r.sent ?? 0), 0)).toBe(3);
    for (const user of reps) expect(posts(user)).toHaveLength(1);
  });

  it('a rep who opted out gets nothing; opting in again sends the next week', async () => {
    const meta = (key: string) => ({
      idempotencyKey: key,
      correlationId: key,
      causationId: null,
      now: now.toISOString(),
      actor: { kind: 'user' as const, id: 'UCHO' },
    });
    await handleDigestPreference(
      { store, codec: plainCodec },
      { type: 'SetDigestPreference', userId: 'UCHO', enabled: false, via: 'message' },
      meta('off'),
    );
    expect(await sendWeeklyDigest(deps('p'), 'UCHO', '2026-W50')).toBe('opted_out');
    expect(posts('UCHO')).toHaveLength(0);
    await handleDigestPreference(
      { store, codec: plainCodec },
      { type: 'SetDigestPreference', userId: 'UCHO', enabled: true, via: 'home' },
      meta('on'),
    );
    expect(await sendWeeklyDigest(deps('p'), 'UCHO', '2026-W51')).toBe('sent');
    expect(posts('UCHO')).toHaveLength(1);
  });
});
