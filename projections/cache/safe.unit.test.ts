import { describe, expect, it, vi } from 'vitest';
import type { CacheResult } from '../../schemas/api/metrics.ts';
import type { Logger } from '../../schemas/logger.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createMemoryCache } from './memory.ts';
import type { Cache } from './port.ts';
import { safeCache } from './safe.ts';

/** A cache whose backing store can be switched off, as a Redis outage would. */
const switchable = () => {
  const inner = createMemoryCache();
  const state = { down: false };
  const guard =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      if (state.down) throw new Error('connect ECONNREFUSED');
      return f(...a);
    };
  const cache: Cache = {
    kind: 'redis',
    get: guard(inner.get),
    mget: guard(inner.mget),
    set: guard(inner.set),
    del: guard(inner.del),
    generation: guard(inner.generation),
    bump: guard(inner.bump),
    ping: guard(inner.ping),
    close: inner.close,
  };
  return { cache, state };
};

const recordingLogger = () => {
  const lines: string[] = [];
  const log = (a: unknown, b?: string) => lines.push(typeof a === 'string' ? a : (b ?? ''));
  const logger: Logger = { ...silentLogger, warn: log, info: log, error: log };
  return { logger, lines };
};

describe('safeCache', () => {
  it('counts hits and misses', async () => {
    const results: CacheResult[] = [];
    const cache = safeCache(createMemoryCache(), { logger: silentLogger, onResult: (r) => results.push(r) });
    await cache.set('a', '1', 60);
    await cache.get('a');
    await cache.get('b');
    await cache.mget(['a', 'b']);
    expect(results).toEqual(['hit', 'miss', 'hit', 'miss']);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, errors: 0 });
  });

  it('never throws while the store is down, and logs the outage once', async () => {
    const { cache: inner, state } = switchable();
    const { logger, lines } = recordingLogger();
    const results: CacheResult[] = [];
    const cache = safeCache(inner, { logger, onResult: (r) => results.push(r) });
    state.down = true;
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.mget(['a', 'b'])).toEqual([undefined, undefined]);
    expect(await cache.generation('s')).toBeUndefined();
    await cache.set('a', '1', 60);
    await cache.del(['a']);
    expect(cache.available).toBe(false);
    expect(results.every((r) => r === 'error')).toBe(true);
    expect(cache.stats().errors).toBe(5);
    expect(lines.filter((l) => l.includes('unavailable'))).toHaveLength(1);
    state.down = false;
    await cache.get('a');
    expect(cache.available).toBe(true);
    expect(lines.filter((l) => l.includes('available again'))).toHaveLength(1);
    await cache.close();
  });

  it('retries a bump that failed until the store is back', async () => {
    vi.useFakeTimers();
    try {
      const { cache: inner, state } = switchable();
      const cache = safeCache(inner, { logger: silentLogger, bumpRetryMs: 100 });
      state.down = false;
      const before = await cache.generation('history:U1');
      state.down = true;
      await cache.bump('history:U1');
      expect(cache.stats().pendingBumps).toBe(1);
      await vi.advanceTimersByTimeAsync(250);
      expect(cache.stats().pendingBumps).toBe(1);
      state.down = false;
      await vi.advanceTimersByTimeAsync(150);
      expect(cache.stats().pendingBumps).toBe(0);
      expect(await cache.generation('history:U1')).not.toBe(before);
      await cache.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
