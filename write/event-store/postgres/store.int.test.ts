import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../../../test/contract/event-store.contract.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres.ts';
import { type EventStore, positionToString, type RecordedEvent, START } from '../port.ts';
import { createPostgresEventStore } from './store.ts';

describeEventStoreContract('Postgres', async () => {
  const db = await createTestDatabase();
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('Postgres event store: global order under concurrent writers', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase({ max: 40 });
    store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
      pollIntervalMs: 50,
    });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('never lets a live subscriber skip an event that commits after a later position (32 writers)', async () => {
    const writers = 32;
    const appendsPerWriter = 25;
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: START, batchSize: 100 });
    const total = writers * appendsPerWriter * 2;
    const reading = (async () => {
      for await (const e of subscription) {
        seen.push(e);
        if (seen.length >= total) break;
      }
    })();

    // Each writer holds its transaction open for a random moment after taking its sequence
    // numbers, so commits land out of position order all the time.
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          const client = await db.pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('SELECT * FROM es_append($1, $2, $3::jsonb)', [
              `writer-${w}`,
              'any',
              JSON.stringify([
                { id: randomUUID(), type: 'T', version: 1, data: { w, i, k: 0 }, metadata: {} },
                { id: randomUUID(), type: 'T', version: 1, data: { w, i, k: 1 }, metadata: {} },
              ]),
            ]);
            await new Promise((r) => setTimeout(r, Math.random() * 8));
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      }),
    );

    const timeout = setTimeout(() => void subscription.close(), 20_000);
    await reading;
    clearTimeout(timeout);
    await subscription.close();

    const stored = await db.pool.query<{ event_id: string }>('SELECT event_id FROM es_events');
    expect(stored.rowCount).toBe(total);
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set(stored.rows.map((r) => r.event_id)));
    expect(seen).toHaveLength(total);
    // Positions strictly increase in delivery order.
    const keys = seen.map((e) => e.position);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1]!, keys[i]!];
      expect(
        a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare),
        positionToString(b),
      ).toBe(true);
    }
    // Within each writer's stream, revisions arrive in order.
    for (let w = 0; w < writers; w++) {
      const revisions = seen.filter((e) => e.streamId === `writer-${w}`).map((e) => e.revision);
      expect(revisions).toEqual([...revisions].sort((x, y) => (x < y ? -1 : 1)));
    }
  });
});
