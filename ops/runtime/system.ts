import { dashboardRoutes } from '../../dashboard/routes.ts';
import { openCache } from '../../projections/cache/open.ts';
import type { SafeCache } from '../../projections/cache/safe.ts';
import { weakestSkillsOf } from '../../projections/growth/queries.ts';
import { projections } from '../../projections/registry.ts';
import { createApiApp } from '../../read-api/app.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import { cacheHealthCheck } from '../../read-api/health/cache-check.ts';
import type { HealthCheck } from '../../read-api/health/checks.ts';
import { createMetrics, type Metrics } from '../../read-api/metrics/metrics.ts';
import { ipAllowlist } from '../../read-api/middleware/ip-allowlist/index.ts';
import { createMemoryRateLimitStore } from '../../read-api/middleware/rate-limit/memory-store.ts';
import { createRedisRateLimitStore } from '../../read-api/middleware/rate-limit/redis-store.ts';
import { readModelRoutes } from '../../read-api/routes/read-models.ts';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { type Agent, startAgent } from './agent.ts';
import { agentHealthCheck } from './agent-health.ts';
import { resolveSecretKey } from './config.ts';
import { type Database, openDatabase } from './database.ts';
import { openEventStore } from './event-store.ts';
import { type HttpServer, listen } from './http-server.ts';
import { openCodec } from './keys/open-codec.ts';
import { withOpenedPersonalText } from './keys/open-responses.ts';
import { createLlmHealth } from './llm-health.ts';
import { projectionHealthChecks } from './projection-health.ts';
import { type Projectors, startProjectors } from './projectors.ts';
import { startSlackEdge } from './slack.ts';
import { packageVersion } from './version.ts';

const STEP_LIMIT_MS = 15_000;

export type Role = 'all' | 'api' | 'slack' | 'projector';

export type System = {
  env: Env;
  database: Database;
  store: EventStore;
  /** Redis (REDIS_URL) or in process; never throws, falls back to Postgres. */
  cache: SafeCache;
  metrics: Metrics;
  /** The projection runners of this process (none for the api and slack roles). */
  projectors: Projectors | null;
  http: HttpServer | null;
  stop: () => Promise<void>;
};

const databaseCheck = (database: Database): HealthCheck => ({
  name: 'database',
  required: true,
  check: async () => {
    const started = performance.now();
    await database.pool.query('SELECT 1');
    return {
      status: 'ok',
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      info: { embedded: database.embedded, schema: database.schema },
    };
  },
});

const eventStoreCheck = (store: EventStore): HealthCheck => ({
  name: 'eventStore',
  required: true,
  check: async () => {
    const health = await store.health();
    return {
      status: health.ok ? 'ok' : 'down',
      latencyMs: health.latencyMs,
      ...(health.detail ? { detail: health.detail } : {}),
      info: { kind: store.kind },
    };
  },
});

/**
 * The composition root: opens the database (embedded when no DATABASE_URL), the event store,
 * and serves HTTP for the roles that need it. `stop` undoes it all in reverse order.
 */
export const startSystem = async (env: Env, logger: Logger, role: Role): Promise<System> => {
  const startedAt = Date.now();
  const database = await openDatabase(env, logger);
  // Shutdown steps, undone in reverse order; each is bounded so one stuck part cannot keep the
  // process (and the embedded database) from stopping.
  const stack: { name: string; undo: () => Promise<void> }[] = [{ name: 'database', undo: database.close }];
  const stop = async () => {
    for (const { name, undo } of stack.reverse()) {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn(
            { step: name, afterMs: STEP_LIMIT_MS },
            'shutdown step did not finish in time; going on',
          );
          resolve();
        }, STEP_LIMIT_MS);
      });
      await Promise.race([
        undo().catch((error: unknown) => logger.warn({ err: error, step: name }, 'shutdown step failed')),
        bounded,
      ]);
      clearTimeout(timer);
      logger.debug({ step: name, ms: Math.round(performance.now() - started) }, 'stopped');
    }
  };
  try {
    const store = await openEventStore(env, database, logger);
    stack.push({ name: 'event store', undo: () => store.close() });
    // Seals personal text per user on write; projections keep it sealed, serving opens it.
    const codec = await openCodec(env, database, logger);

    const metrics = createMetrics();
    const opened = await openCache({
      redisUrl: env.REDIS_URL,
      maxConnections: env.REDIS_MAX_CONNECTIONS,
      logger,
      onResult: (result) => metrics.cacheRequests.inc({ result }),
    });
    stack.push({ name: 'cache', undo: opened.close });
    const { cache } = opened;

    // Projectors stop at a batch boundary on shutdown, after HTTP has drained.
    let projectors: Projectors | null = null;
    if (role === 'all' || role === 'projector') {
      projectors = startProjectors({
        pool: database.pool,
        lockConfig: database.listenConfig,
        store,
        codec,
        logger,
        cache,
        metrics,
      });
      const running = projectors;
      stack.push({ name: 'projectors', undo: () => running.stop() });
    }
    const runners = () => projectors?.runners ?? new Map();

    // The Slack edge: receives Slack traffic (roles all, slack) and shows the agent's replies
    // (roles all, projector, where the agent runs).
    const slack = await startSlackEdge({ env, database, store, codec, logger, metrics, role });
    stack.push({ name: 'slack', undo: slack.stop });

    // The coaching agent answers user messages (one active reactor across processes).
    let agent: Agent | null = null;
    const llmHealth = createLlmHealth(env, () => agent?.status() ?? null);
    if (role === 'all' || role === 'projector') {
      agent = await startAgent({
        env,
        database,
        store,
        codec,
        logger: logger.child({ component: 'agent' }),
        ...(slack.presenter ? { presenter: slack.presenter } : {}),
        profiles: async (userId) => {
          const weakest = await weakestSkillsOf(database.pool, userId).catch(() => null);
          return weakest ? { weakest } : null;
        },
        metrics: {
          llmFailure: (provider, reason) => {
            metrics.llmFailures.inc({ provider, reason });
            llmHealth.recordFailure(`${provider}: ${reason}`);
          },
          eventFailed: () => metrics.deadLetters.inc({ source: 'agent' }),
          throttled: () => metrics.agentThrottled.inc(),
        },
      });
      const running = agent;
      metrics.observeAgent(() => {
        const backlog = running.backlog();
        const llm = running.llm();
        return {
          queued: backlog?.queued ?? 0,
          running: backlog?.running ?? 0,
          insights: backlog?.insights ?? 0,
          partitionsOwned: backlog?.partitions.owned ?? 0,
          oldestWaitingSince: backlog?.oldestWaitingSince ?? null,
          oldestUnansweredSince: backlog?.oldestUnansweredSince ?? null,
          llmInFlight: llm.inFlight,
          llmWaiting: llm.waiting,
          llmPausedForMs: llm.pausedForMs,
        };
      });
      stack.push({ name: 'agent', undo: () => running.stop() });
    }

    const checks: HealthCheck[] = [
      databaseCheck(database),
      eventStoreCheck(store),
      cacheHealthCheck(cache),
      llmHealth.check,
      agentHealthCheck(env, database.pool, store, () => agent),
      slack.healthCheck,
      ...projectionHealthChecks(database.pool, store, projections, runners),
    ];
    let http: HttpServer | null = null;
    if (role !== 'projector') {
      const secretKey = await resolveSecretKey(env);
      const verifyApiKey = createApiKeyVerifier({
        db: database.pool,
        pepper: apiKeyPepper(secretKey),
        envKeys: env.API_KEYS,
        logger,
      }).verify;
      const app = createApiApp({
        logger,
        version: env.APP_VERSION ?? packageVersion,
        environment: env.ENVIRONMENT,
        startedAt,
        healthChecks: () => checks,
        appName: env.APP_NAME,
        metrics,
        routes: [
          ...(slack.routes ? [slack.routes] : []),
          ...withOpenedPersonalText(
            readModelRoutes({ pool: database.pool, cache, store, projections, runners }),
            codec.personal,
          ),
          dashboardRoutes({
            pool: database.pool,
            store,
            projections,
            runners,
            personal: codec.personal,
            verifyApiKey,
            secretKey,
            envKeys: env.API_KEYS,
            opsGuard: ipAllowlist({ allow: env.METRICS_ALLOWED_IPS }),
            logger,
            secureCookies: env.ENVIRONMENT === 'production',
          }),
        ],
        security: {
          verifyApiKey,
          // Shared by every process through Redis; per process without it.
          rateLimitStore: opened.redis
            ? createRedisRateLimitStore({ handle: opened.redis })
            : createMemoryRateLimitStore(),
          rateLimits: [
            { limit: env.RATE_LIMIT_PER_MINUTE, windowSeconds: 60 },
            { limit: env.RATE_LIMIT_PER_HOUR, windowSeconds: 3600 },
          ],
          corsOrigins: env.CORS_ORIGINS,
          allowedHosts: env.ALLOWED_HOSTS,
          metricsAllowedIps: env.METRICS_ALLOWED_IPS,
        },
      });
      http = await listen(app, {
        host: env.HOST,
        port: env.PORT,
        keepAliveSeconds: env.KEEPALIVE,
        maxConnections: env.WORKER_CONNECTIONS,
      });
      const server = http;
      stack.push({ name: 'http', undo: () => server.close() });
    }
    return { env, database, store, cache, metrics, projectors, http, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
