import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { testRedisUrl } from '../../test/helpers/redis.ts';
import { readThrough } from './read-through.ts';
import { createRedisCache } from './redis.ts';
import { openRedis, type RedisHandle } from './redis-client.ts';
import { safeCache } from './safe.ts';

const redisUrl = testRedisUrl();

describe.skipIf(!redisUrl)('the Redis cache (real Redis)', () => {
  const prefix = `test:${randomBytes(4).toString('hex')}:`;
  const handles: RedisHandle[] = [];
  const open = async () => {
    const handle = openRedis({ url: redisUrl!, maxInFlight: 4 });
    handles.push(handle);
    await handle.ready(5000);
    return handle;
  };

  afterAll(async () => {
    const [first] = handles;
    if (first) {
      const keys = await first.client.keys(`${prefix}*`);
      if (keys.length) await first.client.del(...keys);
    }
    for (const h of handles) await h.close();
  });

  it('gets, sets with a TTL, mgets and deletes', async () => {
    const handle = await open();
    const cache = createRedisCache({ handle, prefix });
    await cache.set('a', 'one', 60);
    // A fractional TTL is kept to the millisecond (PX), long enough never to run out during the test.
    await cache.set('short', 'two', 3600.5);
    expect(await cache.get('a')).toBe('one');
    expect(await cache.mget(['a', 'missing', 'short'])).toEqual(['one', undefined, 'two']);
    // The TTL is Redis's to enforce: read it back rather than wait for it to run out.
    const ttls = await Promise.all([handle.client.pttl(`${prefix}a`), handle.client.pttl(`${prefix}short`)]);
    expect(ttls[0]).toBeGreaterThan(0);
    expect(ttls[0]).toBeLessThanOrEqual(60_000);
    expect(ttls[1]).toBeGreaterThan(60_000);
    expect(ttls[1]).toBeLessThanOrEqual(3_600_500);
    await handle.client.del(`${prefix}short`); // what the expiry does
    expect(await cache.get('short')).toBeUndefined();
    await cache.del(['a']);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.mget([])).toEqual([]);
  });

  it('shares generations between processes; a bump moves readers to a new one', async () => {
    const a = createRedisCache({ handle: await open(), prefix });
    const b = createRedisCache({ handle: await open(), prefix });
    const g1 = await a.generation('history:U1');
    expect(await b.generation('history:U1')).toBe(g1);
    const g2 = await b.bump('history:U1');
    expect(g2).toBeGreaterThan(g1);
    expect(await a.generation('history:U1')).toBe(g2);
    expect(await a.bump('history:U1')).toBe(g2 + 1);
  });

  it('hands out a new generation when Redis evicted the old one (allkeys-lru)', async () => {
    const handle = await open();
    const cache = createRedisCache({ handle, prefix });
    const before = await cache.bump('history:U9');
    await handle.client.del(`${prefix}gen:history:U9`); // what an eviction does
    const after = await cache.generation('history:U9');
    expect(after).toBeGreaterThan(before);
  });

  it('serves a reader in one process fresh rows after another process bumps', async () => {
    const reader = safeCache(createRedisCache({ handle: await open(), prefix }), { logger: silentLogger });
    const projector = safeCache(createRedisCache({ handle: await open(), prefix }), { logger: silentLogger });
    let rows = ['first insight'];
    let loads = 0;
    const read = () =>
      readThrough(reader, {
        scope: 'insights:U2',
        key: 'page1',
        ttlSeconds: 60,
        load: async () => {
          loads += 1;
          return rows;
        },
      });
    expect(await read()).toEqual(['first insight']);
    expect(await read()).toEqual(['first insight']);
    expect(loads).toBe(1);
    expect(reader.stats()).toMatchObject({ hits: 1, misses: 1 });
    rows = ['first insight', 'second insight'];
    await projector.bump('insights:U2');
    expect(await read()).toEqual(['first insight', 'second insight']);
    expect(loads).toBe(2);
  });

  it('holds at most REDIS_MAX_CONNECTIONS commands in flight', async () => {
    const handle = openRedis({ url: redisUrl!, maxInFlight: 2 });
    handles.push(handle);
    await handle.ready(5000);
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        handle.run(async (r) => {
          peak = Math.max(peak, handle.inFlight());
          await r.ping();
        }),
      ),
    );
    expect(peak).toBeLessThanOrEqual(2);
    expect(handle.inFlight()).toBe(0);
  });

  it('bounds the wait for a free connection: a command finding every slot taken fails, and the cache falls back', async () => {
    const handle = openRedis({
      url: redisUrl!,
      maxInFlight: 1,
      commandTimeoutMs: 10_000,
      waitTimeoutMs: 100,
    });
    handles.push(handle);
    await handle.ready(5000);
    // The one slot is held by a command that blocks for a second.
    const holder = handle.run((client) => client.blpop(`${prefix}never`, 1));
    const waiter = await handle.run((client) => client.ping()).catch((e: unknown) => e);
    expect(String(waiter)).toMatch(/no Redis connection free within 100 ms/);
    const cache = safeCache(createRedisCache({ handle, prefix }), { logger: silentLogger });
    const value = await readThrough(cache, {
      scope: 'user:U1',
      key: 'busy',
      ttlSeconds: 60,
      load: async () => ({ from: 'postgres' }),
    });
    expect(value).toEqual({ from: 'postgres' });
    await holder;
    // Free again: commands run.
    expect(await handle.run((client) => client.ping())).toBe('PONG');
  });
});
