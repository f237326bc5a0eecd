import type { Hono } from 'hono';
import { withOpenedPersonalText } from '../../ops/runtime/keys/open-responses.ts';
import { type Projectors, startProjectors } from '../../ops/runtime/projectors.ts';
import { createMemoryCache } from '../../projections/cache/memory.ts';
import { type SafeCache, safeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { createApiApp } from '../../read-api/app.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import { readModelRoutes } from '../../read-api/routes/read-models.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createDataKeys, type DataKeys } from '../../write/crypto/data-keys.ts';
import type { KeyRing } from '../../write/crypto/key-ring.ts';
import { type PersonalText, personalText } from '../../write/crypto/personal-text.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import { encryptingCodec } from '../../write/event-store/encrypting-codec.ts';
import { comparePositions, type EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import type { GeneratedStream } from '../helpers/dialogue-events.ts';
import type { TestDatabase } from '../helpers/postgres.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { waitFor } from '../helpers/wait.ts';

// Transcripts are read: a reviewer key.
const reviewerKey = 'reviewer-key-0123456789abcdef';

export type Keyed = { dataKeys: DataKeys; codec: EventCodec; personal: PersonalText };

/** A process' view of the keys: its own in-process cache over the shared `data_keys` table. */
export const keyed = (db: TestDatabase, ring: KeyRing): Keyed => {
  const dataKeys = createDataKeys(postgresDataKeys(db.pool), ring);
  return { dataKeys, codec: encryptingCodec(dataKeys), personal: personalText(dataKeys) };
};

export type SecurityHarness = Keyed & {
  store: EventStore;
  cache: SafeCache;
  projectors: Projectors;
  app: Hono;
  append: (
    streams: readonly GeneratedStream[] | readonly { streamId: string; events: SalesEvent[] }[],
  ) => Promise<void>;
  caughtUp: () => Promise<void>;
  get: (path: string) => Promise<Response>;
  close: () => Promise<void>;
};

/** The system as `serve` wires it: encrypting codec, projectors, read API opening sealed text. */
export const startSecured = async (db: TestDatabase, ring: KeyRing): Promise<SecurityHarness> => {
  const keys = keyed(db, ring);
  const store = createPostgresEventStore({
    pool: db.pool,
    schema: db.schema,
    listenConfig: db.listenConfig,
    pollIntervalMs: 50,
  });
  const cache = safeCache(createMemoryCache(), { logger: silentLogger });
  const projectors = startProjectors({
    pool: db.pool,
    lockConfig: db.listenConfig,
    store,
    codec: keys.codec,
    logger: silentLogger,
    cache,
  });
  const app = createApiApp({
    logger: silentLogger,
    version: 'test',
    environment: 'test',
    startedAt: Date.now(),
    healthChecks: () => [],
    security: {
      verifyApiKey: createApiKeyVerifier({
        db: db.pool,
        pepper: apiKeyPepper('a'.repeat(64)),
        envKeys: [{ name: 'reviewer', scope: 'reviewer', secret: reviewerKey }],
        logger: silentLogger,
      }).verify,
      socketAddress: () => '127.0.0.1',
      rateLimits: [{ limit: 100_000, windowSeconds: 60 }],
    },
    routes: withOpenedPersonalText(
      readModelRoutes({ pool: db.pool, cache, store, projections, runners: () => projectors.runners }),
      keys.personal,
    ),
  });
  return {
    ...keys,
    store,
    cache,
    projectors,
    app: app as unknown as Hono,
    append: async (streams) => {
      for (const { streamId, events } of streams)
        await store.append(streamId, await Promise.all(events.map((e) => keys.codec.encode(e))), 'any');
    },
    caughtUp: async () => {
      const head = await storeTail(db.pool);
      for (const p of projections)
        await waitFor(async () => {
          const live = await findGeneration(db.pool, p.name, 'live');
          return live !== null && comparePositions(live.position, head) >= 0;
        });
    },
    get: async (path) => app.request(path, { headers: { Authorization: `Bearer ${reviewerKey}` } }),
    close: async () => {
      await projectors.stop();
      await store.close();
    },
  };
};
