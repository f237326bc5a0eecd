import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../dashboard/demo/seed.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

describe('seeding the demo (real Postgres event store)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const titles = new Map([['objection-price', '価格反論「高い」への対応']]);
  const count = async () => Number((await db.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);

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
    expect(a.appendedStreams + b.appendedStreams).toBe(a.appendedStreams + a.presentStreams);
    expect(a.appendedEvents + b.appendedEvents).toBe(await count());
  });

  it('adds nothing on a later run, even days later (it finds the day it was made for)', async () => {
    const before = await count();
    const later = await seedDemo(
      { store, codec: plainCodec, now: () => new Date('2026-03-09T03:00:00Z') },
      titles,
    );
    expect(later).toMatchObject({ to: '2026-03-02', appendedStreams: 0, appendedEvents: 0 });
    expect(await count()).toBe(before);
  });
});
