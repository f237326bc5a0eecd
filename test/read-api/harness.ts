import { type Projectors, startProjectors } from '../../ops/runtime/projectors.ts';
import { createMemoryCache } from '../../projections/cache/memory.ts';
import { type SafeCache, safeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import type { TeamsConfig } from '../../projections/rubrics/queries.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { createApiApp } from '../../read-api/app.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import {
  knowledgeDocumentRouteSpecs,
  knowledgeDocumentRoutes,
} from '../../read-api/routes/knowledge-documents.ts';
import { readModelRoutes } from '../../read-api/routes/read-models.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import type { TestDatabase } from '../helpers/postgres.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { waitFor } from '../helpers/wait.ts';

export const analystKey = 'analyst-key-0123456789abcdef';
export const opsKey = 'ops-key-0123456789abcdef0123';
export const reviewerKey = 'reviewer-key-0123456789abcdef';

export type ReadApiHarness = {
  app: ReturnType<typeof createApiApp>;
  store: EventStore;
  cache: SafeCache;
  projectors: Projectors;
  caughtUp: () => Promise<void>;
  get: (path: string, key?: string | null) => Promise<Response>;
  close: () => Promise<void>;
};

export type ReadApiOptions = {
  /** The cache (default: in-process); a Redis-backed one makes several harnesses share it. */
  cache?: SafeCache;
  /** Runs the projectors in this harness (default); false for a second API process without them. */
  projectors?: boolean;
  /** MANAGER_USER_IDS and TEAMS, for the rubric a rep's growth is shown on by default. */
  teams?: TeamsConfig;
};

/** The real read API (routes, auth, limits) over a test schema, with the real projectors running. */
export const startReadApi = async (
  db: TestDatabase,
  options: ReadApiOptions = {},
): Promise<ReadApiHarness> => {
  const store = createPostgresEventStore({
    pool: db.pool,
    schema: db.schema,
    listenConfig: db.listenConfig,
    pollIntervalMs: 50,
  });
  const cache = options.cache ?? safeCache(createMemoryCache(), { logger: silentLogger });
  const projectors: Projectors =
    options.projectors === false
      ? { runners: new Map(), stop: async () => {} }
      : startProjectors({
          pool: db.pool,
          lockConfig: db.listenConfig,
          store,
          codec: plainCodec,
          logger: silentLogger,
          cache,
        });
  const verifier = createApiKeyVerifier({
    db: db.pool,
    pepper: apiKeyPepper('a'.repeat(64)),
    envKeys: [
      { name: 'analyst', scope: 'analyst', secret: analystKey },
      { name: 'ops', scope: 'ops', secret: opsKey },
      { name: 'reviewer', scope: 'reviewer', secret: reviewerKey },
    ],
    logger: silentLogger,
  });
  const app = createApiApp({
    logger: silentLogger,
    version: 'test',
    environment: 'test',
    startedAt: Date.now(),
    healthChecks: () => [],
    // The seed's limits are tested in read-api/middleware/rate-limit; these suites make many requests.
    security: {
      verifyApiKey: verifier.verify,
      socketAddress: () => '127.0.0.1',
      rateLimits: [{ limit: 100_000, windowSeconds: 60 }],
    },
    routes: [
      ...readModelRoutes({
        pool: db.pool,
        cache,
        store,
        projections,
        runners: () => projectors.runners,
        ...(options.teams ? { teams: options.teams } : {}),
      }),
      { app: knowledgeDocumentRoutes({ store, codec: plainCodec }), specs: knowledgeDocumentRouteSpecs },
    ],
  });
  return {
    app,
    store,
    cache,
    projectors,
    caughtUp: async () => {
      const head = await storeTail(db.pool);
      for (const p of projections) {
        await waitFor(async () => {
          const live = await findGeneration(db.pool, p.name, 'live');
          return live !== null && comparePositions(live.position, head) >= 0;
        });
      }
    },
    get: (path, key = analystKey) =>
      Promise.resolve(app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} })),
    close: async () => {
      await projectors.stop();
      await store.close();
    },
  };
};
