import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../schemas/logger.ts';
import { apiKeyAuth } from '../api-key-auth/index.ts';
import { clientIp } from '../client-ip/index.ts';
import { errorHandler } from '../error-handler/index.ts';
import { rateLimit } from './index.ts';
import { createMemoryRateLimitStore } from './memory-store.ts';
import type { RateLimitStore } from './store.ts';

const windows = [
  { limit: 3, windowSeconds: 60 },
  { limit: 5, windowSeconds: 3600 },
];

const app = (store: RateLimitStore, now = () => 1_000_000) => {
  const a = new Hono();
  a.onError(errorHandler({ logger: silentLogger }));
  a.use(clientIp({ socketAddress: (c) => c.req.header('X-Test-Peer') }));
  a.use(
    apiKeyAuth({
      verify: async (key) =>
        key === 'key-one-0123456789'
          ? { id: 'k1', name: 'one', scope: 'analyst', source: 'environment' }
          : undefined,
    }),
  );
  a.use(rateLimit({ store, windows, logger: silentLogger, now }));
  a.get('/', (c) => c.text('ok'));
  return a;
};

const from = (peer: string, key?: string) => ({
  headers: { 'X-Test-Peer': peer, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
});

describe('rateLimit (in-process store)', () => {
  it('counts down every window, then answers 429 RATE_LIMITED with Retry-After', async () => {
    let clock = 1_000_000;
    const a = app(createMemoryRateLimitStore({ now: () => clock }), () => clock);
    const first = await a.request('/', from('192.0.2.1'));
    expect(first.status).toBe(200);
    expect(first.headers.get('RateLimit-Limit')).toBe('3');
    expect(first.headers.get('RateLimit-Remaining')).toBe('2');
    expect(first.headers.get('RateLimit-Reset')).toBe('60');
    expect(first.headers.get('RateLimit-Policy')).toBe('3;w=60, 5;w=3600');
    expect(first.headers.get('X-RateLimit-Remaining')).toBe('2');
    expect(first.headers.get('X-RateLimit-Reset')).toBe(String(Math.ceil((clock + 60_000) / 1000)));
    await a.request('/', from('192.0.2.1'));
    await a.request('/', from('192.0.2.1'));
    clock += 15_000;
    const refused = await a.request('/', from('192.0.2.1'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('45');
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(await refused.json()).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 45, limit: 3, windowSeconds: 60 } },
    });
  });

  it('lets the next minute in, until the hour is used up', async () => {
    let clock = 0;
    const a = app(createMemoryRateLimitStore({ now: () => clock }), () => clock);
    for (let i = 0; i < 3; i += 1) expect((await a.request('/', from('192.0.2.2'))).status).toBe(200);
    clock += 61_000;
    expect((await a.request('/', from('192.0.2.2'))).status).toBe(200);
    const last = await a.request('/', from('192.0.2.2'));
    expect(last.status).toBe(200);
    expect(last.headers.get('RateLimit-Limit')).toBe('5');
    const refused = await a.request('/', from('192.0.2.2'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBe(3600 - 61);
  });

  it('keeps a budget per API key, and per client IP without one', async () => {
    const a = app(createMemoryRateLimitStore());
    for (let i = 0; i < 3; i += 1) await a.request('/', from('192.0.2.3'));
    expect((await a.request('/', from('192.0.2.3'))).status).toBe(429);
    expect((await a.request('/', from('192.0.2.4'))).status).toBe(200);
    // The key's budget is its own, whatever address it comes from.
    expect((await a.request('/', from('192.0.2.3', 'key-one-0123456789'))).status).toBe(200);
  });

  it('fails open when the store fails', async () => {
    const broken: RateLimitStore = {
      kind: 'redis',
      hit: async () => {
        throw new Error('connection refused');
      },
    };
    const res = await app(broken).request('/', from('192.0.2.5'));
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit-Limit')).toBeNull();
  });
});
