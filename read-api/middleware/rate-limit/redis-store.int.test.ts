import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openRedis, type RedisHandle } from '../../../projections/cache/redis-client.ts';
import { silentLogger } from '../../../schemas/logger.ts';
import { testRedisUrl } from '../../../test/helpers/redis.ts';
import { createApiApp } from '../../app.ts';
import { apiKeyPepper } from '../../auth/hashing.ts';
import { createApiKeyVerifier } from '../../auth/verifier.ts';
import { createMetrics } from '../../metrics/metrics.ts';
import { withFallbackRateLimitStore } from './fallback-store.ts';
import { createMemoryRateLimitStore } from './memory-store.ts';
import { createRedisRateLimitStore } from './redis-store.ts';
import type { RateLimitStore } from './store.ts';

const redisUrl = testRedisUrl();

const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe.skipIf(!redisUrl)('rate limits shared through Redis (real Redis)', () => {
  const prefix = `test:${randomBytes(4).toString('hex')}:rl:`;
  const handles: RedisHandle[] = [];
  const verifier = createApiKeyVerifier({
    pepper: apiKeyPepper('x'.repeat(32)),
    envKeys: [
      { name: 'grafana', scope: 'analyst', secret: 'grafana-secret-0123456789' },
      { name: 'other', scope: 'analyst', secret: 'other-secret-0123456789' },
    ],
    logger: silentLogger,
  });

  /** One "process": its own Redis connection and app, sharing the counters. */
  const processWith = (store: RateLimitStore) => {
    const app = createApiApp({
      logger: silentLogger,
      version: 't',
      environment: 'test',
      startedAt: Date.now(),
      healthChecks: () => [],
      metrics: createMetrics({ defaultMetrics: false }),
      security: { verifyApiKey: verifier.verify, rateLimitStore: store, socketAddress: () => '198.51.100.1' },
    });
    app.get('/api/v1/users/:userId/history', (c) => c.json({ ok: true }));
    return app;
  };
  const redisProcess = async () => {
    const handle = openRedis({ url: redisUrl!, maxInFlight: 50 });
    handles.push(handle);
    await handle.ready(5000);
    return processWith(createRedisRateLimitStore({ handle, prefix }));
  };

  afterAll(async () => {
    const [first] = handles;
    if (first) {
      const keys = await first.client.keys(`${prefix}*`);
      if (keys.length) await first.client.del(...keys);
    }
    for (const h of handles) await h.close();
  });

  it('lets 100 requests a minute through across two processes; the 101st is 429 on either', async () => {
    const processes = [await redisProcess(), await redisProcess()];
    const auth = { headers: { Authorization: 'Bearer grafana-secret-0123456789' } };
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => processes[i % 2]!.request('/api/v1/users/U1/history', auth)),
    ).then((all) => all.map((r) => r.status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);

    for (const process of processes) {
      const refused = await process.request('/api/v1/users/U1/history', auth);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('Retry-After'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
      expect(refused.headers.get('X-RateLimit-Limit')).toBe('100');
      expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }

    // Another key has its own budget; counting stopped at the limit (refusals use up nothing).
    const other = await processes[1]!.request('/api/v1/users/U1/history', {
      headers: { Authorization: 'Bearer other-secret-0123456789' },
    });
    expect(other.status).toBe(200);
    const handle = handles[0]!;
    const [minute] = await handle.client.keys(`${prefix}{key:env:grafana}:60`);
    expect(await handle.client.get(minute!)).toBe('100');
    expect(await handle.client.pttl(minute!)).toBeGreaterThan(0);
    expect(await handle.client.get(`${prefix}{key:env:grafana}:3600`)).toBe('100');
  });

  it('counts clients without a key by IP, shared the same way', async () => {
    const processes = [await redisProcess(), await redisProcess()];
    const first = await processes[0]!.request('/api/v1/openapi.json');
    const second = await processes[1]!.request('/api/v1/openapi.json');
    expect(Number(first.headers.get('RateLimit-Remaining')) - 1).toBe(
      Number(second.headers.get('RateLimit-Remaining')),
    );
  });

  it('falls back to limits counted in process while Redis is unreachable, instead of none', async () => {
    const handle = openRedis({ url: `redis://127.0.0.1:${await closedPort()}`, maxInFlight: 4 });
    handles.push(handle);
    const app = processWith(
      withFallbackRateLimitStore(
        createRedisRateLimitStore({ handle, prefix }),
        createMemoryRateLimitStore(),
        silentLogger,
      ),
    );
    const auth = { headers: { Authorization: 'Bearer grafana-secret-0123456789' } };
    const statuses: number[] = [];
    for (let i = 0; i < 101; i += 1)
      statuses.push((await app.request('/api/v1/users/U1/history', auth)).status);
    expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
    expect(statuses[100]).toBe(429);
  });
});
