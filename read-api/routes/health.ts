import { Hono } from 'hono';
import type { DetailedHealthResponse, HealthStatus } from '../../schemas/api/health.ts';
import { type HealthCheck, runChecks } from '../health/checks.ts';

export type HealthRoutesOptions = {
  checks: () => readonly HealthCheck[];
  version: string;
  environment: string;
  startedAt: number;
};

export const healthRoutes = (options: HealthRoutesOptions) => {
  const app = new Hono();

  // Liveness: the process serves requests. Dependencies are the detailed endpoint's business.
  app.get('/api/v1/health', (c) => c.json({ status: 'ok' as const }));

  app.get('/api/v1/health/detailed', async (c) => {
    const components = await runChecks(options.checks());
    const values = Object.values(components);
    const status: HealthStatus = values.some((v) => v.required && v.status === 'down')
      ? 'down'
      : values.some((v) => v.status !== 'ok')
        ? 'degraded'
        : 'ok';
    const body: DetailedHealthResponse = {
      status,
      version: options.version,
      environment: options.environment,
      uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
      components,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body, status === 'down' ? 503 : 200);
  });

  return app;
};
