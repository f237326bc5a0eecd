import type { CacheResult } from '../../schemas/api/metrics.ts';
import type { Logger } from '../../schemas/logger.ts';
import { createMemoryCache } from './memory.ts';
import { createRedisCache } from './redis.ts';
import { openRedis, type RedisHandle } from './redis-client.ts';
import { type SafeCache, safeCache } from './safe.ts';

export type OpenCacheOptions = {
  /** REDIS_URL; unset means the in-process cache. */
  redisUrl: string | undefined;
  /** REDIS_MAX_CONNECTIONS: commands in flight at once (see redis-client.ts). */
  maxConnections: number;
  logger: Logger;
  onResult?: (result: CacheResult) => void;
  /** How long start-up waits for Redis before going on without it. */
  readyTimeoutMs?: number;
  /** REDIS_TIMEOUT: per command, and for a free connection slot. */
  timeoutMs?: number;
};

export type OpenedCache = {
  cache: SafeCache;
  /** The Redis connection, for others that share it (the rate limiter); undefined without REDIS_URL. */
  redis: RedisHandle | undefined;
  close: () => Promise<void>;
};

/**
 * The process's cache: Redis when REDIS_URL is set, else in process. A Redis that is down at
 * start does not stop the process: reads go to Postgres until it answers.
 */
export const openCache = async ({
  redisUrl,
  maxConnections,
  logger,
  onResult,
  readyTimeoutMs = 2000,
  timeoutMs,
}: OpenCacheOptions): Promise<OpenedCache> => {
  const options = { logger, ...(onResult ? { onResult } : {}) };
  if (!redisUrl) {
    const cache = safeCache(createMemoryCache(), options);
    return { cache, redis: undefined, close: () => cache.close() };
  }
  const redis = openRedis({
    url: redisUrl,
    maxInFlight: maxConnections,
    ...(timeoutMs !== undefined ? { commandTimeoutMs: timeoutMs, waitTimeoutMs: timeoutMs } : {}),
  });
  await redis
    .ready(readyTimeoutMs)
    .catch((error: unknown) =>
      logger.warn(
        { err: error },
        'Redis is not reachable: reads use PostgreSQL and rate limits are counted in process until it is',
      ),
    );
  const cache = safeCache(createRedisCache({ handle: redis }), options);
  return {
    cache,
    redis,
    close: async () => {
      await cache.close();
      await redis.close();
    },
  };
};
