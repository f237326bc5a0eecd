import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { appendGenerated, generateDialogues } from '../../test/helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { storeTail } from '../../test/helpers/store-tail.ts';
import { dumpProjection } from '../../test/helpers/tables.ts';
import { waitFor } from '../../test/helpers/wait.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { dialogueProjection } from '../dialogue/projection.ts';
import { growthProjection } from '../growth/projection.ts';
import { insightsProjection } from '../insights/projection.ts';
import { defineProjection, type ProjectionDefinition } from '../projection.ts';
import { findGeneration } from './generations.ts';
import { requestRebuild } from './rebuild-requests.ts';
import { ProjectionRunner, type RunnerOptions } from './runner.ts';

describe('projection runner', () => {
  let db: TestDatabase;
  let store: EventStore;
  const runners: ProjectionRunner[] = [];
  const run = (definition: ProjectionDefinition, extra: Partial<RunnerOptions> = {}) => {
    const runner = new ProjectionRunner({
      definition,
      pool: db.pool,
      lockConfig: db.listenConfig,
      store,
      codec: plainCodec,
      logger: silentLogger,
      batchSize: 200,
      pollMs: 100,
      ...extra,
    });
    runner.start();
    runners.push(runner);
    return runner;
  };
  const caughtUp = (definition: ProjectionDefinition) =>
    waitFor(async () => {
      const live = await findGeneration(db.pool, definition.name, 'live');
      const head = await storeTail(db.pool);
      return live !== null && comparePositions(live.position, head) >= 0;
    });

  beforeAll(async () => {
    db = await createTestDatabase({ max: 20 });
    store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
      pollIntervalMs: 50,
    });
    await appendGenerated(store, generateDialogues({ users: 6, sessionsPerUser: 3, exchangesPerSession: 2 }));
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await store.close();
    await db.drop();
  });

  it('catches up from the start, then follows live events', async () => {
    const dialogue = run(dialogueProjection);
    run(insightsProjection);
    run(growthProjection);
    await caughtUp(dialogueProjection);
    await caughtUp(insightsProjection);
    await caughtUp(growthProjection);
    expect(dialogue.status).toBe('running');

    const sessions = await db.pool.query('SELECT * FROM dialogue_sessions ORDER BY user_id, started_at');
    expect(sessions.rowCount).toBe(18);
    expect(sessions.rows[0]).toMatchObject({ message_count: 4, mode: 'coaching' });
    const messages = await db.pool.query('SELECT count(*)::int AS n FROM dialogue_messages');
    expect(messages.rows[0].n).toBe(72);
    const insights = await db.pool.query('SELECT count(*)::int AS n FROM conversation_insights');
    expect(insights.rows[0].n).toBe(36);
    const growth = await db.pool.query('SELECT * FROM user_growth ORDER BY user_id');
    expect(growth.rowCount).toBe(6);
    expect(growth.rows[0]).toMatchObject({ insights: 6, sessions: 3 });

    await appendGenerated(
      store,
      generateDialogues({
        users: 1,
        sessionsPerUser: 1,
        exchangesPerSession: 1,
        seed: 1,
        start: new Date('2026-03-01T09:00:00Z'),
      }).map((s) => ({ ...s, streamId: `${s.streamId}-live` })),
    );
    await caughtUp(dialogueProjection);
    const after = await db.pool.query('SELECT count(*)::int AS n FROM dialogue_messages');
    expect(after.rows[0].n).toBe(74);
  });

  it('leaves the same rows when every event is applied again', async () => {
    const before = {
      dialogue: await dumpProjection(db.pool, dialogueProjection),
      insights: await dumpProjection(db.pool, insightsProjection),
      growth: await dumpProjection(db.pool, growthProjection),
    };
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await db.pool.query('UPDATE projection_generations SET commit_position = 0, prepare_position = 0');
    run(dialogueProjection);
    run(insightsProjection);
    run(growthProjection);
    await caughtUp(dialogueProjection);
    await caughtUp(insightsProjection);
    await caughtUp(growthProjection);
    expect(await dumpProjection(db.pool, dialogueProjection)).toEqual(before.dialogue);
    expect(await dumpProjection(db.pool, insightsProjection)).toEqual(before.insights);
    expect(await dumpProjection(db.pool, growthProjection)).toEqual(before.growth);
  });

  it('rebuilds blue/green: the new generation goes live with the same rows and the old tables go away', async () => {
    const before = await dumpProjection(db.pool, dialogueProjection);
    const live = await findGeneration(db.pool, 'dialogue', 'live');
    await requestRebuild(db.pool, 'dialogue', 'test');
    await waitFor(
      async () => (await findGeneration(db.pool, 'dialogue', 'live'))?.generation === live!.generation + 1,
    );
    expect(await dumpProjection(db.pool, dialogueProjection)).toEqual(before);
    const old = await db.pool.query('SELECT to_regclass($1) AS t', [
      `dialogue_sessions__g${live!.generation}`,
    ]);
    expect(old.rows[0].t).toBeNull();
  });

  it('sends a poison event to the dead letters and goes on', async () => {
    const poisoned = defineProjection({
      ...insightsProjection,
      name: 'poisoned',
      apply: async (event, context) => {
        if (event.type === 'InsightDerived' && event.data.userId === 'U00001002')
          throw new Error('cannot handle this one');
        await insightsProjection.apply(event, {
          ...context,
          tables: { conversation_insights: context.tables.poisoned_insights },
        });
      },
      tables: ['poisoned_insights'] as const,
      ddl: (t) => insightsProjection.ddl({ conversation_insights: t.poisoned_insights }),
    });
    const runner = run(poisoned as ProjectionDefinition);
    await caughtUp(poisoned as ProjectionDefinition);
    const dead = await db.pool.query("SELECT * FROM projection_dead_letters WHERE name = 'poisoned'");
    expect(dead.rowCount).toBe(6);
    expect(dead.rows[0].error).toContain('cannot handle this one');
    const rows = await db.pool.query('SELECT count(*)::int AS n FROM poisoned_insights');
    const all = await db.pool.query('SELECT count(*)::int AS n FROM conversation_insights');
    expect(rows.rows[0].n).toBe(all.rows[0].n - 6);
    expect(runner.status).toBe('running');
  });

  it('stops at a poison event when configured to', async () => {
    const strict = defineProjection({
      ...insightsProjection,
      name: 'strict',
      tables: ['strict_insights'] as const,
      ddl: (t) => insightsProjection.ddl({ conversation_insights: t.strict_insights }),
      apply: async (event) => {
        if (event.type === 'InsightDerived') throw new Error('always fails');
      },
    });
    const runner = run(strict as ProjectionDefinition, { onError: 'stop' });
    await waitFor(() => runner.status === 'failed');
    expect(runner.lastError).toContain('stopped at event');
    const live = await findGeneration(db.pool, 'strict', 'live');
    const firstInsight = await db.pool.query(
      "SELECT transaction_id::text AS c, global_position AS p FROM es_events WHERE type = 'InsightDerived' ORDER BY transaction_id, global_position LIMIT 1",
    );
    expect(
      comparePositions(live!.position, {
        commit: BigInt(firstInsight.rows[0].c),
        prepare: BigInt(firstInsight.rows[0].p),
      }),
    ).toBe(-1);
    await runner.stop();
  });

  it('runs one runner per projection at a time; a waiting one takes over when the owner stops', async () => {
    const other = defineProjection({
      ...insightsProjection,
      name: 'handover',
      tables: ['handover_insights'] as const,
      ddl: (t) => insightsProjection.ddl({ conversation_insights: t.handover_insights }),
      apply: (event, context) =>
        insightsProjection.apply(event, {
          ...context,
          tables: { conversation_insights: context.tables.handover_insights },
        }),
    });
    const first = run(other as ProjectionDefinition);
    await waitFor(() => first.status === 'running');
    const second = run(other as ProjectionDefinition);
    // The second has tried the lock and found it taken.
    await waitFor(() => second.status === 'standby');
    // The owner keeps applying new events; the second tries again every poll and stays in standby.
    await appendGenerated(store, generateDialogues({ users: 1, sessionsPerUser: 1, exchangesPerSession: 1 }));
    await caughtUp(other as ProjectionDefinition);
    expect(first.status).toBe('running');
    expect(second.status).toBe('standby');
    await first.stop();
    await waitFor(() => second.status === 'running');
    await caughtUp(other as ProjectionDefinition);
    const rows = await db.pool.query('SELECT count(*)::int AS n FROM handover_insights');
    const all = await db.pool.query('SELECT count(*)::int AS n FROM conversation_insights');
    expect(rows.rows[0].n).toBe(all.rows[0].n);
  });
});
