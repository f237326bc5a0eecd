import { inject } from 'vitest';
import { ciStrict } from './ci.ts';

/**
 * The Redis URL for integration suites, or null. Without Redis a suite skips and says so
 * loudly; under strict CI (see ci.ts) a missing Redis is a failure, never a silent skip.
 */
export const testRedisUrl = (): string | null => {
  const url = inject('redisUrl');
  if (!url && ciStrict()) throw new Error('Redis is required under CI, and none is reachable');
  if (!url) console.warn('SKIPPED: Redis suite not run — no Redis reachable (set TEST_REDIS_URL)');
  return url;
};
