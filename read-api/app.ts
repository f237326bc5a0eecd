import { type Context, Hono } from 'hono';
import { except } from 'hono/combine';
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
import { payloadLimit } from './middleware/payload-limit/index.ts';
import { rateLimit } from './middleware/rate-limit/index.ts';
import { createMemoryRateLimitStore } from './middleware/rate-limit/memory-store.ts';
import type { RateLimitStore } from './middleware/rate-limit/store.ts';
import { requireScope } from './middleware/require-scope/index.ts';
import { coreRouteSpecs } from './openapi/core-routes.ts';
import { type ApiRouteSpec, createOpenApiRegistry, type OpenApiRegistry } from './openapi/registry.ts';
import { openApiPath, openApiRoutes } from './openapi/route.ts';
import { healthRoutes } from './routes/health.ts';

/** Who may do what, and how much. Everything is optional: left out, the API is closed and limited in process. */
export type ApiSecurity = {
  /** Checks bearer keys (read-api/auth/verifier.ts); without it no key is valid. */
  verifyApiKey?: (key: string) => Promise<ApiKeyPrincipal | undefined>;
  /** Shared counters (Redis) for several processes; in process by default. */
  rateLimitStore?: RateLimitStore;
  rateLimits?: readonly RateLimitWindow[];
  /** CORS_ORIGINS; empty sends no CORS headers (same-origin only). */
  corsOrigins?: readonly string[];
  /** ALLOWED_HOSTS; empty accepts any Host. */
  allowedHosts?: readonly string[];
  /** METRICS_ALLOWED_IPS, for /metrics and the ops endpoints; empty allows loopback only. */
  metricsAllowedIps?: readonly string[];
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

/** Neither API keys nor rate limits: probes and Slack's signed requests (Slack sends from few IPs). */
const openPaths = ['/api/v1/health', '/api/v1/health/*', '/api/v1/slack/*'];
/** Operations endpoints: the ops scope, from METRICS_ALLOWED_IPS only. */
const opsPaths = ['/api/v1/projections', '/api/v1/projections/*'];

/** The HTTP surface of the read side: health, metrics, OpenAPI, and (as they are added) the read API. */
export const createApiApp = (deps: ApiDependencies) => {
  const security = deps.security ?? {};
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false });
  const openapi = deps.openapi ?? createOpenApiRegistry();
  const adminOnly = ipAllowlist({ allow: security.metricsAllowedIps ?? [] });
  const corsOrigins = security.corsOrigins ?? [];

  // Order matters: request id → access log → security headers → client IP → Host check → CORS
  // (answers preflights before any key is asked for) → body limit → timing → API key → rate limit
  // (by key, else by IP, so key guessing is limited per IP) → scope → routes.
  const app = new Hono();
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(accessLog({ logger: deps.logger }));
  app.use(secureHeaders());
  app.use(clientIp(security.socketAddress ? { socketAddress: security.socketAddress } : {}));
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

  app.use(
    '/api/v1/*',
    except(
      openPaths,
      apiKeyAuth({ verify: security.verifyApiKey ?? (async () => undefined) }),
      rateLimit({
        store: security.rateLimitStore ?? createMemoryRateLimitStore(),
        logger: deps.logger,
        ...(security.rateLimits ? { windows: security.rateLimits } : {}),
      }),
    ),
  );
  app.use('/api/v1/*', except([...openPaths, openApiPath], requireScope({ scope: 'analyst' })));
  for (const path of opsPaths) app.use(path, adminOnly, requireScope({ scope: 'ops' }));
  app.use(metricsPath, adminOnly);

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
