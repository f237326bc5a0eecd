import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { readThrough } from '../../projections/cache/read-through.ts';
import { createRedisCache } from '../../projections/cache/redis.ts';
import { openRedis, type RedisHandle } from '../../projections/cache/redis-client.ts';
import { safeCache } from '../../projections/cache/safe.ts';
import type { DetailedHealthResponse } from '../../schemas/api/health.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { testRedisUrl } from '../../test/helpers/redis.ts';
import { createApiApp } from '../app.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { cacheHealthCheck } from './cache-check.ts';

const redisUrl = testRedisUrl();

/** A port nothing listens on: a Redis that is down. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe.skipIf(!redisUrl)('the cache while Redis is up, and while it is down (real Redis)', () => {
  const handles: RedisHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.close();
  });

  const appWith = (cache: ReturnType<typeof safeCache>) => {
    const metrics = createMetrics({ defaultMetrics: false });
    return createApiApp({
      logger: silentLogger,
      version: 't',
      environment: 'test',
      startedAt: Date.now(),
      healthChecks: () => [cacheHealthCheck(cache)],
      metrics,
      // Detailed health answers loopback (the default METRICS_ALLOWED_IPS) without a key.
      security: { socketAddress: () => '127.0.0.1' },
    });
  };

  it('reports a reachable Redis ok', async () => {
    const handle = openRedis({ url: redisUrl!, maxInFlight: 4 });
    handles.push(handle);
    await handle.ready(5000);
    const cache = safeCache(createRedisCache({ handle, prefix: `test:${randomBytes(4).toString('hex')}:` }), {
      logger: silentLogger,
    });
    const res = await appWith(cache).request('/api/v1/health/detailed');
    const body = (await res.json()) as DetailedHealthResponse;
    expect(res.status).toBe(200);
    expect(body.components.cache).toMatchObject({ status: 'ok', required: false, info: { kind: 'redis' } });
  });

  it('serves reads from Postgres and reports degraded (not down) when Redis is unreachable', async () => {
    const handle = openRedis({ url: `redis://127.0.0.1:${await closedPort()}`, maxInFlight: 4 });
    handles.push(handle);
    const metrics = createMetrics({ defaultMetrics: false });
    const cache = safeCache(createRedisCache({ handle }), {
      logger: silentLogger,
      onResult: (result) => metrics.cacheRequests.inc({ result }),
    });

    const value = await readThrough(cache, {
      scope: 'history:U1',
      key: 'all',
      ttlSeconds: 60,
      load: async () => ({ from: 'postgres' }),
    });
    expect(value).toEqual({ from: 'postgres' });
    expect(await cache.get('anything')).toBeUndefined();
    await cache.bump('history:U1'); // remembered for later, never thrown
    expect(cache.stats().errors).toBeGreaterThanOrEqual(3);
    expect(await metrics.registry.getSingleMetricAsString('cache_requests_total')).toMatch(
      /cache_requests_total\{result="error"\} [3-9]/,
    );

    const res = await appWith(cache).request('/api/v1/health/detailed');
    const body = (await res.json()) as DetailedHealthResponse;
    expect(res.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.components.cache).toMatchObject({ status: 'degraded', required: false });
    expect(body.components.cache?.detail).toContain('fall back to PostgreSQL');
    await cache.close();
  });
});
