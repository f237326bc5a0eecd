import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal } from '../schemas/api/api-keys.ts';
import { ConfigurationError } from '../schemas/config.ts';
import { silentLogger } from '../schemas/logger.ts';
import { type ApiSecurity, createApiApp } from './app.ts';
import type { HealthCheck } from './health/checks.ts';

const ops: ApiKeyPrincipal = { id: 'env:deploy', name: 'deploy', scope: 'ops', source: 'environment' };
const peer = (c: Context) => c.req.header('X-Test-Peer') ?? '127.0.0.1';

/** An app whose key checks are counted, as database queries would be. */
const make = (security: ApiSecurity = {}, checks: HealthCheck[] = []) => {
  let verifications = 0;
  const app = createApiApp({
    logger: silentLogger,
    version: '1',
    environment: 'test',
    startedAt: Date.now(),
    healthChecks: () => checks,
    security: {
      verifyApiKey: async (key) => {
        verifications += 1;
        return key === 'ops-secret-0123456789' ? ops : undefined;
      },
      socketAddress: peer,
      ...security,
    },
  });
  return { app, verifications: () => verifications };
};

describe('createApiApp: hardened edges', () => {
  it('turns a throttled client away before its key is checked: unknown keys cost no query once limited', async () => {
    const { app, verifications } = make({ rateLimits: [{ limit: 3, windowSeconds: 60 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const res = await app.request('http://localhost/api/v1/auth/whoami', {
        headers: { Authorization: `Bearer guess-${i}-0123456789abcdef`, 'X-Test-Peer': '198.51.100.4' },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    // Three checks let through, one refused by the limiter after its check; none after that.
    expect(verifications()).toBe(4);
    // Another address is not affected.
    const other = await app.request('http://localhost/api/v1/auth/whoami', {
      headers: { Authorization: 'Bearer ops-secret-0123456789', 'X-Test-Peer': '198.51.100.5' },
    });
    expect(other.status).toBe(200);
  });

  it('believes X-Forwarded-For from TRUSTED_PROXIES only: clients behind a load balancer get their own buckets', async () => {
    const { app } = make({ trustedProxies: ['10.0.0.0/8'], rateLimits: [{ limit: 1, windowSeconds: 60 }] });
    const from = (client: string, proxy = '10.1.2.3') =>
      app.request('http://localhost/api/v1/openapi.json', {
        headers: { 'X-Test-Peer': proxy, 'X-Forwarded-For': client },
      });
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.2')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(429);
    // A peer outside the list is the client itself, whatever it forwards.
    expect((await from('203.0.113.3', '192.0.2.50')).status).toBe(200);
    expect((await from('203.0.113.4', '192.0.2.50')).status).toBe(429);
    expect(() => make({ trustedProxies: ['10.0.0.0/40'] })).toThrow(ConfigurationError);
    expect(() => make({ trustedProxies: ['proxy.local'] })).toThrow(/TRUSTED_PROXIES/);
  });

  it('runs the detailed health probe once for many calls in a short time, concurrent or not', async () => {
    let probes = 0;
    const check: HealthCheck = {
      name: 'database',
      required: true,
      check: async () => {
        probes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return { status: 'ok', latencyMs: 1 };
      },
    };
    const { app } = make({ healthCacheMs: 60_000 }, [check]);
    const call = () => app.request('http://localhost/api/v1/health/detailed');
    const first = await Promise.all(Array.from({ length: 10 }, call));
    for (let i = 0; i < 10; i += 1) first.push(await call());
    expect(first.every((r) => r.status === 200)).toBe(true);
    expect(probes).toBe(1);
    expect(await first[0]!.json()).toMatchObject({ components: { database: { status: 'ok' } } });
  });

  it('answers detailed health to allowlisted addresses, else to ops keys only', async () => {
    const { app } = make({ metricsAllowedIps: ['10.0.0.0/8'] });
    const call = (peerAddress: string, key?: string) =>
      app.request('http://localhost/api/v1/health/detailed', {
        headers: { 'X-Test-Peer': peerAddress, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      });
    expect((await call('10.9.9.9')).status).toBe(200);
    expect((await call('192.0.2.1')).status).toBe(401);
    expect((await call('192.0.2.1', 'wrong-0123456789abcdef')).status).toBe(401);
    expect((await call('192.0.2.1', 'ops-secret-0123456789')).status).toBe(200);
    expect(
      (await app.request('http://localhost/api/v1/health', { headers: { 'X-Test-Peer': '192.0.2.1' } }))
        .status,
    ).toBe(200);
  });
});
