import autocannon from 'autocannon';
import { Hono } from 'hono';
import { listen } from '../ops/runtime/http-server.ts';
import { startProjectors } from '../ops/runtime/projectors.ts';
import { createMemoryCache } from '../projections/cache/memory.ts';
import { type SafeCache, safeCache } from '../projections/cache/safe.ts';
import { projections } from '../projections/registry.ts';
import { findGeneration } from '../projections/runner/generations.ts';
import { createApiApp } from '../read-api/app.ts';
import { apiKeyPepper } from '../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../read-api/auth/verifier.ts';
import { readModelRoutes } from '../read-api/routes/read-models.ts';
import { silentLogger } from '../schemas/logger.ts';
import { appendGenerated, generateDialogues } from '../test/helpers/dialogue-events.ts';
import { storeTail } from '../test/helpers/store-tail.ts';
import { plainCodec } from '../write/event-store/codec.ts';
import { comparePositions } from '../write/event-store/port.ts';
import { createPostgresEventStore } from '../write/event-store/postgres/store.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Suite } from './lib/report.ts';

const key = 'bench-analyst-key-0123456789';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

/** A cache that never answers: every read goes to Postgres (the uncached figure). */
const noCache = (inner: SafeCache): SafeCache => ({ ...inner, generation: async () => undefined });

const run = (url: string, options: Partial<autocannon.Options> = {}) =>
  autocannon({
    url,
    connections: 10,
    duration: seconds,
    // The load is generated on another thread, not on the server's event loop.
    workers: 1,
    headers: { authorization: `Bearer ${key}` },
    ...options,
  });

/**
 * The read API under load, from a separate worker thread: a cached and an uncached history
 * query beside a bare Hono route on the same server, in the same run. Throughput at full load,
 * and latency at a fixed 500 requests/s.
 */
export const readApiBench = async (): Promise<Suite> => {
  const db = await openBenchDatabase(30);
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  const cache = safeCache(createMemoryCache(), { logger: silentLogger });
  const projectors = startProjectors({
    pool: db.pool,
    lockConfig: db.listenConfig,
    store,
    codec: plainCodec,
    logger: silentLogger,
    cache,
  });
  try {
    await appendGenerated(
      store,
      generateDialogues({ users: 200, sessionsPerUser: 12, exchangesPerSession: 3 }),
      1000,
    );
    const tail = await storeTail(db.pool);
    for (const p of projections) {
      for (;;) {
        const live = await findGeneration(db.pool, p.name, 'live');
        if (live && comparePositions(live.position, tail) >= 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const verifier = createApiKeyVerifier({
      db: db.pool,
      pepper: apiKeyPepper('b'.repeat(64)),
      envKeys: [{ name: 'bench', scope: 'analyst', secret: key }],
      logger: silentLogger,
    });
    const build = (readCache: SafeCache) => {
      const app = createApiApp({
        logger: silentLogger,
        version: 'bench',
        environment: 'bench',
        startedAt: Date.now(),
        healthChecks: () => [],
        security: { verifyApiKey: verifier.verify, rateLimits: [{ limit: 100_000_000, windowSeconds: 60 }] },
        routes: [
          ...readModelRoutes({
            pool: db.pool,
            cache: readCache,
            store,
            projections,
            runners: () => projectors.runners,
          }),
          { app: new Hono().get('/bare', (c) => c.json({ ok: true })), specs: [] },
        ],
      });
      return app;
    };
    const cached = await listen(build(cache), {
      host: '127.0.0.1',
      port: 0,
      keepAliveSeconds: 5,
      maxConnections: 1000,
    });
    const uncached = await listen(build(noCache(cache)), {
      host: '127.0.0.1',
      port: 0,
      keepAliveSeconds: 5,
      maxConnections: 1000,
    });
    const history = '/api/v1/users/U00001042/history';
    try {
      const bare = await run(`${cached.url}/bare`);
      const cachedMax = await run(`${cached.url}${history}`);
      const uncachedMax = await run(`${uncached.url}${history}`);
      const cachedAt500 = await run(`${cached.url}${history}`, { overallRate: 500 });
      const uncachedAt500 = await run(`${uncached.url}${history}`, { overallRate: 500 });
      const bareAt500 = await run(`${cached.url}/bare`, { overallRate: 500 });
      const errors = [bare, cachedMax, uncachedMax, cachedAt500, uncachedAt500].reduce(
        (n, r) => n + r.errors + r.non2xx,
        0,
      );
      if (errors > 0) throw new Error(`${errors} failed requests during the benchmark`);
      const baseline = { name: 'bare Hono route', value: bare.requests.average };
      return {
        suite: 'read API under load',
        environment: { database: db.source, connections: 10, secondsPerRun: seconds, reps: 200 },
        figures: [
          { name: 'bare Hono route (baseline)', value: bare.requests.average, unit: 'req/s' },
          {
            name: 'history, cached: throughput',
            value: cachedMax.requests.average,
            unit: 'req/s',
            baseline,
            ratio: cachedMax.requests.average / bare.requests.average,
            target: '≥ 50% of the bare route',
            met: cachedMax.requests.average / bare.requests.average >= 0.5,
          },
          {
            name: 'history, uncached: throughput',
            value: uncachedMax.requests.average,
            unit: 'req/s',
            baseline,
            ratio: uncachedMax.requests.average / bare.requests.average,
          },
          { name: 'bare Hono route: p99 at 500 req/s', value: bareAt500.latency.p99, unit: 'ms' },
          {
            name: 'history, cached: p99 at 500 req/s',
            value: cachedAt500.latency.p99,
            unit: 'ms',
            target: '≤ 15 ms',
            met: cachedAt500.latency.p99 <= 15,
          },
          { name: 'history, cached: p50 at 500 req/s', value: cachedAt500.latency.p50, unit: 'ms' },
          { name: 'history, uncached: p99 at 500 req/s', value: uncachedAt500.latency.p99, unit: 'ms' },
        ],
      };
    } finally {
      await cached.close();
      await uncached.close();
    }
  } finally {
    await projectors.stop();
    await store.close();
    await db.drop();
  }
};
