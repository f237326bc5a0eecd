import { dashboardRoutes } from '../../dashboard/routes.ts';
import { openCache } from '../../projections/cache/open.ts';
import type { SafeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import type { RunnerState } from '../../projections/runner/status.ts';
import { createApiApp } from '../../read-api/app.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import { cacheHealthCheck } from '../../read-api/health/cache-check.ts';
import type { HealthCheck } from '../../read-api/health/checks.ts';
import { createMetrics, type Metrics } from '../../read-api/metrics/metrics.ts';
import { ipAllowlist } from '../../read-api/middleware/ip-allowlist/index.ts';
import { withFallbackRateLimitStore } from '../../read-api/middleware/rate-limit/fallback-store.ts';
import { createMemoryRateLimitStore } from '../../read-api/middleware/rate-limit/memory-store.ts';
import { createRedisRateLimitStore } from '../../read-api/middleware/rate-limit/redis-store.ts';
import {
  knowledgeDocumentRouteSpecs,
  knowledgeDocumentRoutes,
} from '../../read-api/routes/knowledge-documents.ts';
import { readModelRoutes } from '../../read-api/routes/read-models.ts';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import { authorizationConfigFrom } from '../../write/authorization/policy.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import type { AgentView } from './agent.ts';
import { agentHealthCheck } from './agent-health.ts';
import { startBackgroundThread } from './background/thread.ts';
import { startBackgroundWork } from './background/work.ts';
import { resolveSecretKey } from './config.ts';
import { type Database, openDatabase, poolShares } from './database.ts';
import { startKnowledgeEmbeddings } from './embeddings.ts';
import { checkEventStoreUrl, openEventStore } from './event-store.ts';
import { type HttpServer, listen } from './http-server.ts';
import { listenForForgotten } from './keys/forget-signal.ts';
import { encryptionKeysHealthCheck } from './keys/key-health.ts';
import { openCodec } from './keys/open-codec.ts';
import { withOpenedPersonalText } from './keys/open-responses.ts';
import { startLagGauges } from './lag-gauges.ts';
import { createLlmHealth } from './llm-health.ts';
import { projectionHealthChecks } from './projection-health.ts';
import type { Projectors } from './projectors.ts';
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
  await checkEventStoreUrl(env);
  const shares = poolShares(env);
  const database = await openDatabase(env, logger, {
    poolMax: role === 'all' ? shares.serving : shares.total,
    statementTimeoutMs: Math.round(env.DATABASE_STATEMENT_TIMEOUT * 1000),
  });
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
    const metrics = createMetrics();
    const store = await openEventStore(env, database, logger, {
      subscriptionFailed: (outcome) => metrics.eventStoreSubscriptionFailures.inc({ outcome }),
    });
    stack.push({ name: 'event store', undo: () => store.close() });
    // Seals personal text per user on write; projections keep it sealed, serving opens it.
    const codec = await openCodec(env, database, logger);

    const opened = await openCache({
      redisUrl: env.REDIS_URL,
      maxConnections: env.REDIS_MAX_CONNECTIONS,
      timeoutMs: Math.round(env.REDIS_TIMEOUT * 1000),
      logger,
      onResult: (result) => metrics.cacheRequests.inc({ result }),
    });
    stack.push({ name: 'cache', undo: opened.close });
    const { cache } = opened;

    // What follows recording: the projectors and the agent. With the `all` role they run on a
    // background thread, so the event loop that acknowledges Slack never waits behind them; with
    // the `projector` role, which serves no HTTP, in this thread. They stop after HTTP has drained.
    let projectors: Projectors | null = null;
    let runners: () => ReadonlyMap<string, RunnerState> = () => projectors?.runners ?? new Map();
    let agentStatus: () => string | null = () => null;
    let agent: () => AgentView | null = () => null;
    const llmHealth = createLlmHealth(env, () => agentStatus());
    const llmFailure = (provider: string, reason: string) => {
      metrics.llmFailures.inc({ provider, reason });
      llmHealth.recordFailure(`${provider}: ${reason}`);
    };
    if (role === 'all') {
      const thread = await startBackgroundThread({
        databaseUrl: database.url,
        logger,
        cache,
        metrics,
        onLlmFailure: llmHealth.recordFailure,
      });
      agentStatus = thread.agentStatus;
      agent = thread.agent;
      runners = thread.runners;
      stack.push({ name: 'background thread', undo: thread.stop });
    } else if (role === 'projector') {
      const work = await startBackgroundWork(env, database, store, codec, logger, {
        cache,
        metrics,
        llmFailure,
        throttled: () => metrics.agentThrottled.inc(),
      });
      projectors = work.projectors;
      agentStatus = work.agent.status;
      agent = () => work.agent;
      stack.push({ name: 'projectors and agent', undo: work.stop });
    }
    // Semantic search when an embeddings provider is configured; passages are embedded where projections run.
    const stopEmbeddings = startKnowledgeEmbeddings(env, database.pool, logger, {
      embedNewPassages: role === 'all' || role === 'projector',
    });
    stack.push({ name: 'knowledge embeddings', undo: stopEmbeddings });

    // The Slack edge of this thread receives Slack traffic (roles all, slack); the agent's
    // replies are shown by the background work's own edge.
    const slack = await startSlackEdge({
      env,
      database,
      store,
      codec,
      logger,
      metrics,
      role: role === 'all' ? 'slack' : role === 'projector' ? 'api' : role,
    });
    stack.push({ name: 'slack', undo: slack.stop });

    // Said at start as well as in health: a ring that cannot open the data (a restore without the
    // source's SECRET_KEY) should not wait for the first reader to be found out.
    const encryptionKeys = encryptionKeysHealthCheck(postgresDataKeys(database.pool), codec.dataKeys.ring);
    encryptionKeys
      .check()
      .then((result) => {
        if (result.status !== 'ok') logger.error({ info: result.info }, result.detail ?? 'encryption keys');
      })
      .catch(() => {});
    // forget-user (another process) announces whom it forgot: drop what lives in this process.
    const forgotten = listenForForgotten({
      config: database.listenConfig,
      schema: database.schema,
      logger,
      onForgotten: async (userId) => {
        // Its data key first (cached unwrapped here), so nothing below can open their text again.
        codec.dataKeys.evict(userId);
        // The agent's session cache is dropped where the agent runs (background work).
        await slack.forgetUser(userId);
        logger.info({ userId }, 'forgot what this process kept of a user');
      },
    });
    stack.push({ name: 'forget-user listener', undo: forgotten.stop });
    // The agent's figures in /metrics, from wherever it runs in this process.
    metrics.observeAgent(() => {
      const running = agent();
      if (!running) return null;
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

    const checks: HealthCheck[] = [
      databaseCheck(database),
      eventStoreCheck(store),
      cacheHealthCheck(cache),
      llmHealth.check,
      agentHealthCheck(env, database.pool, store, agent),
      slack.healthCheck,
      encryptionKeys,
      ...projectionHealthChecks(database.pool, store, projections, runners),
    ];
    let http: HttpServer | null = null;
    if (role !== 'projector') {
      const gauges = startLagGauges(database.pool, store, projections, metrics, logger);
      stack.push({ name: 'lag gauges', undo: async () => gauges.stop() });
      const secretKey = await resolveSecretKey(env);
      const verifier = createApiKeyVerifier({
        db: database.pool,
        pepper: apiKeyPepper(secretKey),
        envKeys: env.API_KEYS,
        logger,
      });
      const verifyApiKey = verifier.verify;
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
            readModelRoutes({
              pool: database.pool,
              cache,
              store,
              projections,
              runners,
              teams: authorizationConfigFrom(env),
            }),
            codec.personal,
          ),
          { app: knowledgeDocumentRoutes({ store, codec }), specs: knowledgeDocumentRouteSpecs },
          dashboardRoutes({
            pool: database.pool,
            store,
            codec,
            projections,
            runners,
            personal: codec.personal,
            verifyApiKey,
            secretKey,
            envKeys: env.API_KEYS,
            opsGuard: ipAllowlist({ allow: env.METRICS_ALLOWED_IPS }),
            logger,
            teams: authorizationConfigFrom(env),
            secureCookies: env.ENVIRONMENT === 'production',
          }),
        ],
        security: {
          verifyApiKey,
          peekApiKey: verifier.peek,
          trustedProxies: env.TRUSTED_PROXIES,
          // Shared by every process through Redis; per process without it.
          // Shared through Redis; counted in process while Redis is away.
          rateLimitStore: opened.redis
            ? withFallbackRateLimitStore(
                createRedisRateLimitStore({ handle: opened.redis }),
                createMemoryRateLimitStore(),
                logger,
              )
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
