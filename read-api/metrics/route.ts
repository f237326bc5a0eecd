import { Hono } from 'hono';
import type { Registry } from 'prom-client';

export const metricsPath = '/metrics';

/** `GET /metrics` in Prometheus' text format. The IP allowlist in front of it is the app's business. */
export const metricsRoutes = (registry: Registry) =>
  new Hono().get(metricsPath, async (c) => {
    c.header('Content-Type', registry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await registry.metrics());
  });
