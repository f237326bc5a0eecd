import { type Context, Hono } from 'hono';
import { every, except } from 'hono/combine';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiKeyPrincipal } from '../schemas/api/api-keys.ts';
import { knowledgeUploadApiPath, knowledgeUploadPagePath } from '../schemas/api/knowledge-documents.ts';
import type { RateLimitWindow } from '../schemas/api/rate-limits.ts';
import type { Logger } from '../schemas/logger.ts';
import { authRouteSpecs, authRoutes } from './auth/route.ts';
import type { HealthCheck } from './health/checks.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { metricsPath, metricsRoutes } from './metrics/route.ts';
import { accessLog } from './middleware/access-log/index.ts';
import { allowedHosts } from './middleware/allowed-hosts/index.ts';
import { apiKeyAuth } from './middleware/api-key-auth/index.ts';
import { clientIp } from './middleware/client-ip/index.ts';
import { errorHandler, notFoundHandler } from './middleware/error-handler/index.ts';
import { httpMetrics } from './middleware/http-metrics/index.ts';
import { ipAllowlist } from './middleware/ip-allowlist/index.ts';
import { ipMatcher } from './middleware/ip-allowlist/matcher.ts';
import { payloadLimit } from './middleware/payload-limit/index.ts';
import { RecentRefusals, rateLimit, refusedRecently } from './middleware/rate-limit/index.ts';
import { createMemoryRateLimitStore } from './middleware/rate-limit/memory-store.ts';
import type { RateLimitStore } from './middleware/rate-limit/store.ts';
import { requireScope } from './middleware/require-scope/index.ts';
import { handlerRoutePattern } from './middleware/route-pattern/index.ts';
import { coreRouteSpecs } from './openapi/core-routes.ts';
import { type ApiRouteSpec, createOpenApiRegistry, type OpenApiRegistry } from './openapi/registry.ts';
import { openApiRoutes } from './openapi/route.ts';
import { detailedHealthPath, healthPath, healthRoutes } from './routes/health.ts';

/** Who may do what, and how much. Everything is optional: left out, the API is closed and limited in process. */
export type ApiSecurity = {
  /** Checks bearer keys (read-api/auth/verifier.ts); without it no key is valid. */
  verifyApiKey?: (key: string) => Promise<ApiKeyPrincipal | undefined>;
  /**
   * A key's principal when it was verified recently, asking nothing (the verifier's `peek`): the
   * rate limiter runs before verification and counts by it, else by client IP.
   */
  peekApiKey?: (key: string) => ApiKeyPrincipal | undefined;
  /** Shared counters (Redis) for several processes; in process by default. */
  rateLimitStore?: RateLimitStore;
  rateLimits?: readonly RateLimitWindow[];
  /** CORS_ORIGINS; empty sends no CORS headers (same-origin only). */
  corsOrigins?: readonly string[];
  /** ALLOWED_HOSTS; empty accepts any Host. */
  allowedHosts?: readonly string[];
  /** METRICS_ALLOWED_IPS, for /metrics and the ops endpoints; empty allows loopback only. */
  metricsAllowedIps?: readonly string[];
  /** TRUSTED_PROXIES: peers whose X-Forwarded-For is believed (IPs, CIDRs); empty = loopback. */
  trustedProxies?: readonly string[];
  /** How long a detailed health probe is served again (ms). */
  healthCacheMs?: number;
  maxBodyBytes?: number;
  /** The socket's peer address; @hono/node-server's by default (tests through `app.request` pass one). */
  socketAddress?: (c: Context) => string | undefined;
};

export type ApiDependencies = {
  logger: Logger;
  version: string;
  environment: string;
  startedAt: number;
  /** Evaluated per request: components may be added as the process starts them. */
  healthChecks: () => readonly HealthCheck[];
  security?: ApiSecurity;
  metrics?: Metrics;
  /** Routes register their OpenAPI description here; /api/v1/openapi.json lists them all. */
  openapi?: OpenApiRegistry;
  appName?: string;
  /** Route groups mounted after the core routes, each with its OpenAPI description. */
  routes?: readonly RouteGroup[];
};

export type RouteGroup = { app: Hono; specs: readonly ApiRouteSpec[] };

/** Neither API keys nor rate limits: liveness and Slack's signed requests (Slack sends from few IPs). */
const openPaths = [healthPath, '/api/v1/slack/*'];
/** An ops key, or a client in METRICS_ALLOWED_IPS (then no key): detailed health and metrics. */
const monitoringPaths = [detailedHealthPath, metricsPath];
/** Operations endpoints: an ops key, and from METRICS_ALLOWED_IPS only. */
const opsPaths = ['/api/v1/projections', '/api/v1/projections/*'];

const bearer = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The HTTP surface of the read side: health, metrics, OpenAPI, and (as they are added) the read API. */
export const createApiApp = (deps: ApiDependencies) => {
  const security = deps.security ?? {};
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false });
  const openapi = deps.openapi ?? createOpenApiRegistry();
  const adminOnly = ipAllowlist({ allow: security.metricsAllowedIps ?? [] });
  const monitoringAddress = ipMatcher(security.metricsAllowedIps ?? [], 'METRICS_ALLOWED_IPS');
  const trustedProxy = ipMatcher(security.trustedProxies ?? [], 'TRUSTED_PROXIES');
  const corsOrigins = security.corsOrigins ?? [];
  const peek = security.peekApiKey ?? (() => undefined);

  // Order matters: request id → access log → security headers → client IP → Host check → CORS
  // (answers preflights before any key is asked for) → body limit → timing → throttled clients
  // turned away (before verification) → API key → rate limit (by key, else by IP) → scope (as the
  // route's spec says) → routes.
  const app = new Hono();
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(accessLog({ logger: deps.logger }));
  app.use(secureHeaders());
  app.use(
    clientIp({
      isTrustedProxy: trustedProxy,
      ...(security.socketAddress ? { socketAddress: security.socketAddress } : {}),
    }),
  );
  app.use(allowedHosts({ hosts: security.allowedHosts ?? [] }));
  if (corsOrigins.length > 0) {
    app.use(
      cors({
        origin: corsOrigins.includes('*') ? '*' : [...corsOrigins],
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: [
          'X-Request-Id',
          'Retry-After',
          'RateLimit-Limit',
          'RateLimit-Remaining',
          'RateLimit-Reset',
          'RateLimit-Policy',
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
        ],
        maxAge: 600,
      }),
    );
  }
  // Knowledge uploads (PDF, PowerPoint) set their own, larger limit on their route.
  app.use(
    except(
      [knowledgeUploadApiPath, knowledgeUploadPagePath],
      payloadLimit(security.maxBodyBytes ? { maxBytes: security.maxBodyBytes } : {}),
    ),
  );
  app.use(httpMetrics({ histogram: metrics.httpRequestDuration }));

  const refusals = new RecentRefusals();
  // Before verification: a client the limiter refused lately is turned away at once, by a key
  // verified recently or else by IP, so a flood of unknown keys costs no database query.
  const gate = refusedRecently({
    refusals,
    identify: (c) => {
      const key = bearer.exec(c.req.header('Authorization') ?? '')?.[1];
      const known = key === undefined ? undefined : peek(key);
      return known ? `key:${known.id}` : `ip:${c.get('clientIp') ?? 'unknown'}`;
    },
  });
  const authenticate = apiKeyAuth({ verify: security.verifyApiKey ?? (async () => undefined) });
  // After it, by key when valid, else by IP (so guessing keys is limited per IP).
  const counter = rateLimit({
    store: security.rateLimitStore ?? createMemoryRateLimitStore(),
    logger: deps.logger,
    refusals,
    ...(security.rateLimits ? { windows: security.rateLimits } : {}),
  });
  const limit = every(gate, authenticate, counter);
  // Each route's scope is the one its OpenAPI spec states; a route without one needs analyst (the
  // read API's floor), so a route serving transcripts or operations must say so in its spec.
  const routeScope = requireScope({
    scope: (c) => {
      const pattern = handlerRoutePattern(c);
      return (pattern === undefined ? undefined : openapi.find(c.req.method, pattern)?.security) ?? 'analyst';
    },
  });
  const keyed = every(limit, routeScope);
  const monitoring = every(limit, requireScope({ scope: 'ops' }));

  app.use('/api/v1/*', except([...openPaths, ...monitoringPaths], keyed));
  for (const path of monitoringPaths) {
    app.use(path, async function opsKeyOrAllowedAddress(c, next) {
      if (monitoringAddress(c.get('clientIp'))) return next();
      return monitoring(c, next);
    });
  }
  for (const path of opsPaths) app.use(path, adminOnly);

  app.onError(errorHandler({ logger: deps.logger }));
  app.notFound(notFoundHandler);

  openapi.register(...coreRouteSpecs, ...authRouteSpecs);
  app.route(
    '/',
    healthRoutes({
      checks: deps.healthChecks,
      version: deps.version,
      environment: deps.environment,
      startedAt: deps.startedAt,
      ...(security.healthCacheMs !== undefined ? { cacheMs: security.healthCacheMs } : {}),
    }),
  );
  app.route('/', metricsRoutes(metrics.registry));
  for (const group of deps.routes ?? []) {
    openapi.register(...group.specs);
    app.route('/', group.app);
  }
  app.route('/', authRoutes());
  app.route('/', openApiRoutes(openapi, { title: deps.appName ?? 'AI Sales Agent', version: deps.version }));
  return app;
};
