import type { SafeCache } from '../../projections/cache/safe.ts';
import type { HealthCheck } from './checks.ts';

/**
 * The cache is optional: when it does not answer, reads go to Postgres, so it is reported
 * `degraded` (never `down`) and the detailed health stays 200.
 */
export const cacheHealthCheck = (cache: SafeCache): HealthCheck => ({
  name: 'cache',
  required: false,
  check: async () => {
    const started = performance.now();
    const info = { kind: cache.kind, ...cache.stats() };
    try {
      await cache.ping();
      return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100, info };
    } catch (error) {
      return {
        status: 'degraded',
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        detail: `${(error as Error).message}; reads fall back to PostgreSQL`,
        info,
      };
    }
  },
});
