import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from '../schemas/logger.ts';
import type { HealthCheck } from './health/checks.ts';
import { accessLog } from './middleware/access-log/index.ts';
import { errorHandler, notFoundHandler } from './middleware/error-handler/index.ts';
import { healthRoutes } from './routes/health.ts';

export type ApiDependencies = {
  logger: Logger;
  version: string;
  environment: string;
  startedAt: number;
  /** Evaluated per request: components may be added as the process starts them. */
  healthChecks: () => readonly HealthCheck[];
};

/** The HTTP surface of the read side: health, and (as they are added) the read API and metrics. */
export const createApiApp = (deps: ApiDependencies) => {
  const app = new Hono();
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(accessLog({ logger: deps.logger }));
  app.onError(errorHandler({ logger: deps.logger }));
  app.notFound(notFoundHandler);
  app.route(
    '/',
    healthRoutes({
      checks: deps.healthChecks,
      version: deps.version,
      environment: deps.environment,
      startedAt: deps.startedAt,
    }),
  );
  return app;
};
