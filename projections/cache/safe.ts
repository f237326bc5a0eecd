import type { CacheResult } from '../../schemas/api/metrics.ts';
import type { Logger } from '../../schemas/logger.ts';
import { outageReporter } from './outage.ts';
import type { Cache } from './port.ts';

export type SafeCacheOptions = {
  logger: Logger;
  /** Called for every key read (hit or miss) and every failed operation (error): the metrics counter. */
  onResult?: (result: CacheResult) => void;
  /** How often bumps that failed are tried again while the cache is down. */
  bumpRetryMs?: number;
  /** Scopes remembered for a retried bump; beyond it, entries' TTLs bound their staleness. */
  maxPendingBumps?: number;
};

export type CacheStats = { hits: number; misses: number; errors: number; pendingBumps: number };

/** A cache whose operations never throw: on a cache error a read is a miss and the caller reads Postgres. */
export type SafeCache = {
  readonly kind: Cache['kind'];
  readonly available: boolean;
  get(key: string): Promise<string | undefined>;
  mget(keys: readonly string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /** `undefined` when the cache cannot say: the caller must not use the cache for this read. */
  generation(scope: string): Promise<number | undefined>;
  /** A bump that fails is retried until it succeeds, so a recovered cache is not left stale. */
  bump(scope: string): Promise<void>;
  ping(): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
};

const failed: unique symbol = Symbol('failed');

export const safeCache = (cache: Cache, options: SafeCacheOptions): SafeCache => {
  const { logger, onResult = () => {}, bumpRetryMs = 1000, maxPendingBumps = 10_000 } = options;
  const outage = outageReporter(
    logger,
    `${cache.kind} cache`,
    'reads fall back to PostgreSQL until it is back',
  );
  const counts = { hits: 0, misses: 0, errors: 0 };
  const pendingBumps = new Set<string>();
  let retryTimer: NodeJS.Timeout | undefined;

  const attempt = async <T>(operation: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      const result = await operation();
      outage.succeeded();
      return result;
    } catch (error) {
      counts.errors += 1;
      onResult('error');
      outage.failed(error);
      return fallback;
    }
  };

  const count = (value: string | undefined) => {
    if (value === undefined) counts.misses += 1;
    else counts.hits += 1;
    onResult(value === undefined ? 'miss' : 'hit');
  };

  const retryBumps = async () => {
    retryTimer = undefined;
    for (const scope of [...pendingBumps]) {
      try {
        await cache.bump(scope);
        pendingBumps.delete(scope);
        outage.succeeded();
      } catch {
        break;
      }
    }
    if (pendingBumps.size > 0) scheduleRetry();
  };

  const scheduleRetry = () => {
    retryTimer ??= setTimeout(() => void retryBumps(), bumpRetryMs);
    retryTimer.unref();
  };

  const rememberBump = (scope: string) => {
    if (pendingBumps.size >= maxPendingBumps && !pendingBumps.has(scope)) {
      logger.error(
        { scope, maxPendingBumps },
        'too many cache invalidations pending: entries of this scope may be stale until their TTL ends',
      );
      return;
    }
    pendingBumps.add(scope);
    scheduleRetry();
  };

  return {
    kind: cache.kind,
    get available() {
      return outage.available;
    },
    get: async (key) => {
      const value = await attempt<string | undefined | typeof failed>(() => cache.get(key), failed);
      if (value === failed) return undefined;
      count(value);
      return value;
    },
    mget: async (keys) => {
      const values = await attempt<(string | undefined)[] | undefined>(() => cache.mget(keys), undefined);
      if (values === undefined) return keys.map(() => undefined);
      for (const value of values) count(value);
      return values;
    },
    set: (key, value, ttlSeconds) => attempt(() => cache.set(key, value, ttlSeconds), undefined),
    del: (keys) => attempt(() => cache.del(keys), undefined),
    generation: (scope) => attempt<number | undefined>(() => cache.generation(scope), undefined),
    bump: async (scope) => {
      const ok = await attempt(async () => {
        await cache.bump(scope);
        return true;
      }, false);
      if (ok) pendingBumps.delete(scope);
      else rememberBump(scope);
    },
    ping: () => cache.ping(),
    stats: () => ({ ...counts, pendingBumps: pendingBumps.size }),
    close: async () => {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      await cache.close();
    },
  };
};
