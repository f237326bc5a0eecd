import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogueProjection } from '../../projections/dialogue/projection.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { startMessageWriters } from '../helpers/message-writers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { dumpProjection } from '../helpers/tables.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The whole process (HTTP, projections, the coaching agent) SIGKILLed while users write, then
 * restarted: the read tables equal a clean rebuild from the events, and every user message has
 * exactly one reply.
 */
describe('the process SIGKILLed under load and restarted', () => {
  let db: TestDatabase;
  let store: EventStore;
  let app: RunningProcess | null = null;
  const env = () => ({
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    DATABASE_POOL_SIZE: '6',
    DATABASE_MAX_OVERFLOW: '0',
  });

  beforeAll(async () => {
    db = await createTestDatabase({ max: 10 });
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  });
  afterAll(async () => {
    await app?.stop();
    await store.close();
    await db.drop();
  });

  it('comes back to the state the events say', async () => {
    app = await startServe(env());
    const writers = startMessageWriters(store, {
      writers: 4,
      text: (i) => (i % 2 ? '他社の方が安いと言われました' : '決裁者に会うには？'),
      pauseMs: 80,
    });
    const { acknowledged } = writers;
    for (let kill = 0; kill < 3; kill++) {
      // Kill while messages are being written and answered.
      await new Promise((r) => setTimeout(r, 1500));
      const code = await app.stop('SIGKILL');
      expect(code).toBeNull();
      app = await startServe(env());
    }
    await writers.stop();

    // Every user message gets exactly one reply from the restarted agent.
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ users: string; replies: string }>(
          `SELECT count(*) FILTER (WHERE type = 'MessageReceived' AND data->>'role' = 'user') AS users,
                  count(*) FILTER (WHERE type = 'MessageReceived' AND data->>'role' = 'assistant') AS replies
             FROM es_events`,
        );
        return rows[0]!.users === rows[0]!.replies;
      },
      90_000,
      250,
    );
    const duplicates = await db.pool.query(
      `SELECT data->>'replyTo' AS reply_to, count(*) FROM es_events
        WHERE type = 'MessageReceived' AND data->>'role' = 'assistant' GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(duplicates.rowCount).toBe(0);

    const tail = await storeTail(db.pool);
    await waitFor(async () => {
      const live = await findGeneration(db.pool, 'dialogue', 'live');
      return live !== null && comparePositions(live.position, tail) >= 0;
    }, 60_000);
    const users = await db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM dialogue_messages WHERE role = 'user'",
    );
    expect(Number(users.rows[0]!.n)).toBe(acknowledged.length);
    const afterCrashes = await dumpProjection(db.pool, dialogueProjection);
    const before = (await findGeneration(db.pool, 'dialogue', 'live'))!.generation;
    await requestRebuild(db.pool, 'dialogue', 'test');
    await waitFor(
      async () => ((await findGeneration(db.pool, 'dialogue', 'live'))?.generation ?? 0) > before,
      60_000,
    );
    expect(await dumpProjection(db.pool, dialogueProjection)).toEqual(afterCrashes);
    console.log(
      `sigkill under load: 3 kills, acknowledged ${acknowledged.length} messages, lost 0, duplicate replies 0`,
    );
  }, 240_000);
});
