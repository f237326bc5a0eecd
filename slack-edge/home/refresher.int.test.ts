import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { appendGenerated, generateDialogues } from '../../test/helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { waitFor } from '../../test/helpers/wait.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { startHomeRefresher } from './refresher.ts';

/** The real store, whose first subscription fails as a dropped database connection would. */
const failingOnce = (store: EventStore) => {
  let failed = false;
  let subscribed: () => void = () => {};
  /** Resolves once the refresher has read the head and asked for its (failing) subscription. */
  const asked = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  const wrapped = Object.assign(Object.create(store) as EventStore, {
    subscribeToAll: (options: Parameters<EventStore['subscribeToAll']>[0]) => {
      if (failed) return store.subscribeToAll(options);
      failed = true;
      subscribed();
      return {
        [Symbol.asyncIterator]: () => ({
          next: () =>
            Promise.reject(Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' })),
        }),
      } as unknown as ReturnType<EventStore['subscribeToAll']>;
    },
  });
  return { wrapped, asked };
};

describe('the Home refresher (real Postgres store)', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
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

  it('survives a database error: it follows the store again and still publishes after new insights', async () => {
    const published: string[] = [];
    const failing = failingOnce(store);
    const refresher = startHomeRefresher({
      store: failing.wrapped,
      codec: plainCodec,
      pool: db.pool,
      logger: silentLogger,
      publish: async (userId) => {
        published.push(userId);
      },
      readModelWaitMs: 0,
      retryMs: 20,
    });
    try {
      await failing.asked;
      const streams = generateDialogues({ users: 1, sessionsPerUser: 1, exchangesPerSession: 1 });
      await appendGenerated(store, streams);
      const userId = streams[0]!.events.find((e) => e.type === 'InsightDerived')!.data.userId;
      expect(await waitFor(async () => published.includes(userId), 10_000)).toBe(true);
    } finally {
      await refresher.stop();
    }
  });
});
