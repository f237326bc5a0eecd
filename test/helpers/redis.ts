import { inject } from 'vitest';

/**
 * The Redis URL for integration suites, or null. Without Redis a suite skips and says so
 * loudly; with CI=true a missing Redis is a failure, never a silent skip.
 */
export const testRedisUrl = (): string | null => {
  const url = inject('redisUrl');
  if (!url && process.env.CI === 'true')
    throw new Error('Redis is required when CI=true, and none is reachable');
  if (!url) console.warn('SKIPPED: Redis suite not run — no Redis reachable (set TEST_REDIS_URL)');
  return url;
};
