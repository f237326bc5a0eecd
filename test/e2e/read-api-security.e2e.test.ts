import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningProcess, runCli, startServe } from '../helpers/process.ts';
import { testRedisUrl } from '../helpers/redis.ts';

const redisUrl = testRedisUrl();

describe('read API security over real HTTP (salesai serve)', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  const envSecret = `grafana-${randomBytes(12).toString('hex')}`;
  const opsSecret = `prometheus-${randomBytes(12).toString('hex')}`;
  let dataDir: string;
  let env: Record<string, string>;
  let app: RunningProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-security-'));
    env = {
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      API_KEYS: `grafana:analyst:${envSecret},prometheus:ops:${opsSecret}`,
    };
    app = await startServe(env);
  });

  afterAll(async () => {
    await app?.stop('SIGTERM');
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await rm(dataDir, { recursive: true, force: true });
  });

  const whoami = (key?: string) =>
    fetch(`${app.baseUrl}/api/v1/auth/whoami`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });

  it('answers 401 with WWW-Authenticate without a key, and with a wrong one', async () => {
    const none = await whoami();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await whoami('sk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
  });

  it('accepts a key from API_KEYS, with rate-limit headers', async () => {
    const res = await whoami(envSecret);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'grafana', scope: 'analyst', source: 'environment' });
    expect(res.headers.get('ratelimit-limit')).toBe('100');
    expect(Number(res.headers.get('ratelimit-remaining'))).toBeLessThan(100);
    expect(res.headers.get('ratelimit-policy')).toBe('100;w=60, 1000;w=3600');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('accepts a key made with `salesai api-key create` until `api-key revoke`', async () => {
    const created = await runCli(['api-key', 'create', '--name', 'deploy', '--scope', 'ops'], env);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('not shown again');
    const res = await whoami(key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'deploy', scope: 'ops', source: 'database' });

    const reviewer = await runCli(['api-key', 'create', '--name', 'qa', '--scope', 'reviewer'], env);
    expect(reviewer.code).toBe(0);
    expect(await (await whoami(reviewer.stdout.trim())).json()).toEqual({
      name: 'qa',
      scope: 'reviewer',
      source: 'database',
    });
    const spare = (
      await runCli(['api-key', 'create', '--name', 'spare', '--scope', 'analyst'], env)
    ).stdout.trim();
    const list = await runCli(['api-key', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/deploy\s+ops\s+cli/);
    expect(list.stdout).toMatch(/qa\s+reviewer\s+cli/);
    expect(list.stdout).toMatch(/grafana\s+analyst\s+API_KEYS/);
    expect(list.stdout).not.toContain(key);
    expect(list.stdout).not.toContain(envSecret);

    const revoked = await runCli(['api-key', 'revoke', 'spare'], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('revoked spare');
    expect((await whoami(spare)).status).toBe(401);
    const again = await runCli(['api-key', 'revoke', 'spare'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('serves /metrics in Prometheus text to 127.0.0.1; a client behind the local proxy needs an ops key', async () => {
    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('route="/api/v1/auth/whoami"');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('cache_requests_total');
    // As nginx on the same host would forward an outside client: judged by that client's address.
    const outside = (key?: string) =>
      fetch(`${app.baseUrl}/metrics`, {
        headers: { 'X-Forwarded-For': '203.0.113.7', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      });
    const proxied = await outside();
    expect(proxied.status).toBe(401);
    expect(await proxied.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await outside(envSecret)).status).toBe(403);
    const scraped = await outside(opsSecret);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('serves detailed health to loopback, and to an outside client only with an ops key', async () => {
    const outside = (key?: string) =>
      fetch(`${app.baseUrl}/api/v1/health/detailed`, {
        headers: { 'X-Forwarded-For': '203.0.113.8', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      });
    const refused = await outside();
    expect(refused.status).toBe(401);
    const text = await refused.text();
    expect(text).not.toContain('components');
    expect(text).not.toContain('database');
    expect((await outside(envSecret)).status).toBe(403);
    const served = await outside(opsSecret);
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({ components: { database: { status: 'ok' } } });
    // Liveness stays open to everyone.
    expect(
      (await fetch(`${app.baseUrl}/api/v1/health`, { headers: { 'X-Forwarded-For': '203.0.113.8' } })).status,
    ).toBe(200);
  });

  it('publishes an OpenAPI 3.1 document with the paths', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/health/detailed',
        '/metrics',
        '/api/v1/openapi.json',
        '/api/v1/auth/whoami',
      ]),
    );
  });

  it('reports the in-process cache in detailed health and keeps health open', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/health/detailed`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      components: Record<string, { status: string; info?: { kind?: string } }>;
    };
    expect(body.components.cache).toMatchObject({ status: 'ok', info: { kind: 'memory' } });
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/auth/whoami`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${envSecret}` },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('has --help on the api-key commands', async () => {
    for (const args of [['api-key'], ['api-key', 'create'], ['api-key', 'list'], ['api-key', 'revoke']]) {
      const result = await runCli([...args, '--help'], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: salesai ${args.join(' ')}`);
    }
  });
});

describe.skipIf(!redisUrl)('two serve processes sharing one Redis (real Redis)', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  // A fresh key name: counters live in Redis for an hour, across test runs.
  const name = `shared-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const processes: RunningProcess[] = [];

  afterAll(async () => {
    for (const p of processes) expect(await p.stop('SIGTERM')).toBe(0);
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('lets 100 requests a minute through between them; the 101st is 429 with Retry-After on either', async () => {
    const env = {
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      SECRET_KEY: randomBytes(32).toString('hex'),
      REDIS_URL: redisUrl!,
      API_KEYS: `${name}:analyst:${secret}`,
    };
    processes.push(await startServe(env));
    processes.push(await startServe(env));
    const call = (i: number) =>
      fetch(`${processes[i % 2]!.baseUrl}/api/v1/auth/whoami`, {
        headers: { Authorization: `Bearer ${secret}` },
      });

    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => call(i).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const i of [0, 1]) {
      const refused = await call(i);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }

    const health = await fetch(`${processes[0]!.baseUrl}/api/v1/health/detailed`);
    const body = (await health.json()) as {
      components: Record<string, { status: string; info?: { kind?: string } }>;
    };
    expect(body.components.cache).toMatchObject({ status: 'ok', info: { kind: 'redis' } });
  });
});
