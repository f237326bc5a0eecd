import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../ops/demo/seed.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

describe('seeding the demo through the command path (real Postgres event store)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const titles = new Map([['objection-price', '価格反論「高い」への対応']]);
  /** The dialogue's events (the conversation streams' pointers to sessions are not among them). */
  const count = async (pool = db.pool) =>
    Number(
      (await pool.query("SELECT count(*) AS n FROM es_events WHERE type <> 'ConversationSessionOpened'"))
        .rows[0].n,
    );

  const eventIds = async (pool = db.pool) =>
    (
      await pool.query(
        "SELECT event_id::text AS id FROM es_events WHERE type <> 'ConversationSessionOpened' ORDER BY 1",
      )
    ).rows.map((r: { id: string }) => r.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('appends each conversation once, also when two runs race', async () => {
    const day = () => new Date('2026-03-02T03:00:00Z');
    const [a, b] = await Promise.all([
      seedDemo({ store, codec: plainCodec, now: day }, titles),
      seedDemo({ store, codec: plainCodec, now: day }, titles),
    ]);
    expect(a).toMatchObject({ from: '2026-01-05', to: '2026-03-02', reps: 6 });
    expect(a.sessions).toBeGreaterThan(100);
    const total = a.writtenConversations + a.presentConversations;
    expect(b.writtenConversations + b.presentConversations).toBe(total);
    // Every message, reply and insight is there once: what one run alone writes.
    const alone = await createTestDatabase();
    const aloneStore = createPostgresEventStore({
      pool: alone.pool,
      schema: alone.schema,
      listenConfig: alone.listenConfig,
    });
    try {
      const single = await seedDemo({ store: aloneStore, codec: plainCodec, now: day }, titles);
      expect(single.writtenConversations).toBe(total);
      expect(single.appendedEvents).toBe(await count(alone.pool));
      // The race stored exactly the events one run alone stores: the same ids, none twice.
      expect(await eventIds()).toEqual(await eventIds(alone.pool));
    } finally {
      await aloneStore.close();
      await alone.drop();
    }
  });

  it('adds nothing on a later run, even days later (it finds the day it was made for)', async () => {
    const before = await count();
    const later = await seedDemo(
      { store, codec: plainCodec, now: () => new Date('2026-03-09T03:00:00Z') },
      titles,
    );
    expect(later).toMatchObject({ to: '2026-03-02', writtenConversations: 0, appendedEvents: 0 });
    expect(await count()).toBe(before);
  });
});
