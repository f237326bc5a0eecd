import { type Projectors, startProjectors } from '../../ops/runtime/projectors.ts';
import { createMemoryCache } from '../../projections/cache/memory.ts';
import { type SafeCache, safeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { type ApiSecurity, createApiApp, type RouteGroup } from '../../read-api/app.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import type { Env } from '../../schemas/config.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { type EventCodec, plainCodec } from '../../write/event-store/codec.ts';
import { comparePositions, type EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import type { TestDatabase } from './postgres.ts';
import { storeTail } from './store-tail.ts';
import { waitFor } from './wait.ts';

/** The keys every harness knows, one per scope (API_KEYS as `serve` reads it). */
export const analystKey = 'analyst-key-0123456789abcdef';
export const reviewerKey = 'reviewer-key-0123456789abcdef';
export const opsKey = 'ops-key-0123456789abcdef0123';

export const testEnvKeys: Env['API_KEYS'] = [
  { name: 'analyst', scope: 'analyst', secret: analystKey },
  { name: 'reviewer', scope: 'reviewer', secret: reviewerKey },
  { name: 'ops', scope: 'ops', secret: opsKey },
];

/** What the route groups of a harness are built from. */
export type TestSystem = {
  db: TestDatabase;
  store: EventStore;
  codec: EventCodec;
  cache: SafeCache;
  projectors: Projectors;
  verifyApiKey: NonNullable<ApiSecurity['verifyApiKey']>;
  /** The SECRET_KEY the API-key hashes (and, for the dashboard, the session tokens) derive from. */
  secretKey: string;
};

export type TestApiOptions = {
  /** Default: events stored as they are; `serve` seals personal text (an encrypting codec). */
  codec?: EventCodec;
  /** Default: in-process; a Redis-backed one makes several harnesses share it. */
  cache?: SafeCache;
  /** Runs the real projectors (default); false for a second API process without them. */
  projectors?: boolean;
  secretKey?: string;
  /** The verifier's clock (tests move it to expire what it caches). */
  now?: () => number;
  /** Default: high enough for suites that make many requests; 'seed' keeps the seed's limits. */
  rateLimits?: 'seed';
  routes: (system: TestSystem) => readonly RouteGroup[];
};

/**
 * The API app as `serve` wires it (middleware, key verification, limits, the route groups a suite
 * asks for) over a test schema of the real Postgres, with the real projectors running.
 */
export const startTestApi = async (db: TestDatabase, options: TestApiOptions) => {
  const store = createPostgresEventStore({
    pool: db.pool,
    schema: db.schema,
    listenConfig: db.listenConfig,
    pollIntervalMs: 50,
  });
  const codec = options.codec ?? plainCodec;
  const cache = options.cache ?? safeCache(createMemoryCache(), { logger: silentLogger });
  const projectors: Projectors =
    options.projectors === false
      ? { runners: new Map(), stop: async () => {} }
      : startProjectors({
          pool: db.pool,
          lockConfig: db.listenConfig,
          store,
          codec,
          logger: silentLogger,
          cache,
        });
  const secretKey = options.secretKey ?? 'a'.repeat(64);
  const verifier = createApiKeyVerifier({
    db: db.pool,
    pepper: apiKeyPepper(secretKey),
    envKeys: testEnvKeys,
    logger: silentLogger,
    ...(options.now ? { now: options.now } : {}),
  });
  const system: TestSystem = {
    db,
    store,
    codec,
    cache,
    projectors,
    verifyApiKey: verifier.verify,
    secretKey,
  };
  const app = createApiApp({
    logger: silentLogger,
    version: 'test',
    environment: 'test',
    startedAt: Date.now(),
    healthChecks: () => [],
    security: {
      verifyApiKey: verifier.verify,
      socketAddress: () => '127.0.0.1',
      // The seed's limits are tested in read-api/middleware/rate-limit; most suites make many requests.
      ...(options.rateLimits === 'seed' ? {} : { rateLimits: [{ limit: 100_000, windowSeconds: 60 }] }),
    },
    routes: options.routes(system),
  });
  return {
    ...system,
    app,
    /** Until every projection's live generation has applied every event committed so far. */
    caughtUp: async (timeoutMs = 60_000) => {
      const head = await storeTail(db.pool);
      await waitFor(async () => {
        for (const p of projections) {
          const live = await findGeneration(db.pool, p.name, 'live');
          if (!live || comparePositions(live.position, head) < 0) return false;
        }
        return true;
      }, timeoutMs);
    },
    /** A GET with a bearer key (none with null). */
    get: (path: string, key: string | null = analystKey) =>
      Promise.resolve(app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} })),
    close: async () => {
      await projectors.stop();
      await store.close();
    },
  };
};

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
