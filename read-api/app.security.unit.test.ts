import { type Context, Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal } from '../schemas/api/api-keys.ts';
import { silentLogger } from '../schemas/logger.ts';
import { type ApiSecurity, createApiApp } from './app.ts';
import { createMetrics } from './metrics/metrics.ts';

const keys: Record<string, ApiKeyPrincipal> = {
  'analyst-secret-0123456789': {
    id: 'env:grafana',
    name: 'grafana',
    scope: 'analyst',
    source: 'environment',
  },
  'ops-secret-0123456789': { id: 'env:deploy', name: 'deploy', scope: 'ops', source: 'environment' },
};

/** The peer address comes from a test header, as node-server's socket would give it. */
const peer = (c: Context) => c.req.header('X-Test-Peer') ?? '127.0.0.1';

/** A stand-in for the read routes and the ops routes other modules add, with their specs. */
const standIn = () => {
  const routes = new Hono();
  routes.get('/api/v1/users/:userId/history', (c) => c.json({ userId: c.req.param('userId') }));
  routes.get('/api/v1/projections', (c) => c.json({ projections: [] }));
  const spec = (path: string, security: 'analyst' | 'ops') =>
    ({ method: 'get', path, summary: path, security, responses: {} }) as const;
  return {
    app: routes,
    specs: [spec('/api/v1/users/:userId/history', 'analyst'), spec('/api/v1/projections', 'ops')],
  };
};

const make = (security: ApiSecurity = {}) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createApiApp({
    logger: silentLogger,
    version: '9.9.9',
    environment: 'test',
    startedAt: Date.now(),
    healthChecks: () => [],
    metrics,
    security: {
      verifyApiKey: async (k) => keys[k],
      peekApiKey: (k) => keys[k],
      socketAddress: peer,
      ...security,
    },
    routes: [standIn()],
  });
  return { app, metrics };
};

const get = (app: ReturnType<typeof make>['app'], path: string, headers: Record<string, string> = {}) =>
  app.request(`http://localhost${path}`, { headers });

describe('createApiApp: guards in front of the routes', () => {
  it('keeps the original options working (no security given: API closed, health open)', async () => {
    const app = createApiApp({
      logger: silentLogger,
      version: '1',
      environment: 'test',
      startedAt: Date.now(),
      healthChecks: () => [],
    });
    expect((await app.request('/api/v1/health')).status).toBe(200);
    expect((await app.request('/api/v1/openapi.json')).status).toBe(200);
  });

  it('serves health and openapi.json without a key, and unknown paths as 404', async () => {
    const { app } = make();
    const health = await get(app, '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('RateLimit-Limit')).toBeNull(); // exempt from rate limits
    expect((await get(app, '/api/v1/health/detailed')).status).toBe(200);
    const openapi = await get(app, '/api/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect((await get(app, '/api/v1/nope')).status).toBe(404);
  });

  it('asks for a key on the read API: 401 without, 200 with', async () => {
    const { app } = make();
    const refused = await get(app, '/api/v1/users/U1/history');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const served = await get(app, '/api/v1/users/U1/history', {
      Authorization: 'Bearer analyst-secret-0123456789',
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('RateLimit-Remaining')).toBe('99');
  });

  it('serves ops endpoints to ops keys from allowed addresses only', async () => {
    const { app } = make({ metricsAllowedIps: ['10.0.0.0/8'] });
    const ops = { Authorization: 'Bearer ops-secret-0123456789' };
    expect((await get(app, '/api/v1/projections', { ...ops, 'X-Test-Peer': '10.1.2.3' })).status).toBe(200);
    expect((await get(app, '/api/v1/projections', { ...ops, 'X-Test-Peer': '192.0.2.1' })).status).toBe(403);
    const analyst = { Authorization: 'Bearer analyst-secret-0123456789', 'X-Test-Peer': '10.1.2.3' };
    const narrow = await get(app, '/api/v1/projections', analyst);
    expect(narrow.status).toBe(403);
    expect(await narrow.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('serves /metrics to loopback by default, in Prometheus text, with route patterns', async () => {
    const { app } = make();
    await get(app, '/api/v1/users/U42/history', { Authorization: 'Bearer analyst-secret-0123456789' });
    const res = await get(app, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('route="/api/v1/users/:userId/history"');
    expect(text).not.toContain('U42');
    // From elsewhere: an ops key, and only an ops key.
    const outside = { 'X-Test-Peer': '203.0.113.9' };
    expect((await get(app, '/metrics', outside)).status).toBe(401);
    expect(
      (await get(app, '/metrics', { ...outside, Authorization: 'Bearer analyst-secret-0123456789' })).status,
    ).toBe(403);
    expect(
      (await get(app, '/metrics', { ...outside, Authorization: 'Bearer ops-secret-0123456789' })).status,
    ).toBe(200);
  });

  it('rate-limits the API per key (health stays exempt)', async () => {
    const { app } = make({ rateLimits: [{ limit: 2, windowSeconds: 60 }] });
    const auth = { Authorization: 'Bearer analyst-secret-0123456789' };
    expect((await get(app, '/api/v1/users/U1/history', auth)).status).toBe(200);
    expect((await get(app, '/api/v1/users/U1/history', auth)).status).toBe(200);
    const refused = await get(app, '/api/v1/users/U1/history', auth);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    for (let i = 0; i < 5; i += 1) expect((await get(app, '/api/v1/health')).status).toBe(200);
  });

  it('checks the Host header, sends CORS for listed origins and security headers', async () => {
    const { app } = make({ allowedHosts: ['your-domain.com'], corsOrigins: ['https://your-domain.com'] });
    expect((await app.request('http://evil.example/api/v1/health')).status).toBe(400);
    const res = await app.request('http://your-domain.com/api/v1/health', {
      headers: { Origin: 'https://your-domain.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://your-domain.com');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
    const other = await app.request('http://your-domain.com/api/v1/health', {
      headers: { Origin: 'https://elsewhere.example' },
    });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await app.request('http://your-domain.com/api/v1/users/U1/history', {
      method: 'OPTIONS',
      headers: { Origin: 'https://your-domain.com', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
  });

  it('refuses bodies over the limit with 413', async () => {
    const { app } = make({ maxBodyBytes: 10 });
    app.post('/api/v1/slack/events', (c) => c.text('ok'));
    const res = await app.request('http://localhost/api/v1/slack/events', {
      method: 'POST',
      body: 'x'.repeat(11),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('leaves Slack routes to their own signature check: no API key, no rate limit', async () => {
    const { app } = make({ rateLimits: [{ limit: 1, windowSeconds: 60 }] });
    app.post('/api/v1/slack/events', (c) => c.text('ok'));
    for (let i = 0; i < 3; i += 1) {
      expect((await app.request('http://localhost/api/v1/slack/events', { method: 'POST' })).status).toBe(
        200,
      );
    }
  });
});
