import type { MiddlewareHandler } from 'hono';
import type { Histogram } from 'prom-client';
import { handlerRoutePattern } from '../route-pattern/index.ts';

export type HttpMetricsOptions = {
  histogram: Histogram<'method' | 'route' | 'status'>;
};

/**
 * Times every request into the histogram, labelled by the route's pattern
 * (`/api/v1/users/:userId/history`), never the raw path: one series per route, not per user.
 * Paths no route answers share the label `unmatched`.
 */
// Any other method gets one label: a client inventing methods must not invent series.
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const httpMetrics = ({ histogram }: HttpMetricsOptions): MiddlewareHandler =>
  async function timeRequest(c, next) {
    const end = histogram.startTimer();
    try {
      await next();
    } finally {
      end({
        method: knownMethods.has(c.req.method) ? c.req.method : 'OTHER',
        route: handlerRoutePattern(c) ?? 'unmatched',
        status: String(c.res.status),
      });
    }
  };
