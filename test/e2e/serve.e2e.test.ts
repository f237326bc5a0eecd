import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';

describe('salesai serve (whole process over HTTP)', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  const env = { DATABASE_URL: inject('postgresUrl'), DATABASE_SCHEMA: schema };

  afterAll(async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('serves health and detailed health, logs JSON lines with request ids, and stops cleanly on SIGTERM', async () => {
    const app = await startServe({ ...env, LOG_LEVEL: 'info' });
    try {
      const health = await fetch(`${app.baseUrl}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(health.headers.get('x-request-id')).toBeTruthy();

      const detailed = await fetch(`${app.baseUrl}/api/v1/health/detailed`);
      expect(detailed.status).toBe(200);
      const body = (await detailed.json()) as {
        status: string;
        components: Record<string, { status: string; latencyMs: number }>;
      };
      expect(body.status).toBe('ok');
      expect(body.components.database?.status).toBe('ok');
      expect(body.components.eventStore?.status).toBe('ok');
      expect(body.components.llm?.status).toBe('ok');
      expect(body.components.slack).toBeDefined();
      expect(body.components['projection:dialogue']?.status).toBeDefined();
      expect(body.components.cache?.status).toBe('ok');
      expect(body.components.database?.latencyMs).toBeGreaterThanOrEqual(0);
      // The agent runs on the background thread; its backlog and lag are reported here and in /metrics.
      const agent = body.components.agent as unknown as {
        status: string;
        info: { backlogEvents: number | null; lagSeconds: number };
      };
      expect(agent.status).toBe('ok');
      expect(agent.info.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(typeof agent.info.backlogEvents).toBe('number');
      await waitFor(
        async () => {
          const again = (await (await fetch(`${app.baseUrl}/api/v1/health/detailed`)).json()) as {
            components: { llm: { info: { agent: string } } };
          };
          return again.components.llm.info.agent === 'active';
        },
        30_000,
        200,
      );
      if (process.platform === 'linux') {
        // The background thread yields the CPU to the serving thread: a nice value of its own.
        const pid = app.child.pid!;
        const niceOf = (tid: string) =>
          Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
        const tids = readdirSync(`/proc/${pid}/task`);
        expect(niceOf(String(pid))).toBe(0);
        expect(tids.some((tid) => niceOf(tid) === 10)).toBe(true);
      }
      const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^agent_backlog_events \d+/m);
      expect(metrics).toMatch(/^agent_lag_seconds \d+/m);

      const missing = await fetch(`${app.baseUrl}/api/v1/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    } finally {
      expect(await app.stop('SIGTERM')).toBe(0);
    }
    const requestLines = app
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(
      requestLines.some((l) => l.path === '/api/v1/health/detailed' && typeof l.requestId === 'string'),
    ).toBe(true);
    expect(app.output()).toContain('stopped');
  });

  it('runs WORKERS HTTP worker processes sharing the port, and stops them all on SIGTERM', async () => {
    const app = await startServe({ ...env, WORKERS: '2', LOG_LEVEL: 'info' });
    try {
      // Both workers listen before requests are counted (the second may start later under load).
      await waitFor(() => app.output().split('"msg":"started"').length - 1 >= 2, 60_000, 100);
      const pids = new Set<number>();
      for (let i = 0; i < 40 && pids.size < 2; i++) {
        // A 404 is logged at info level (health probes only at debug).
        expect(
          (await fetch(`${app.baseUrl}/api/v1/no-such-path`, { headers: { connection: 'close' } })).status,
        ).toBe(404);
        for (const line of app.output().split('\n')) {
          if (line.includes('"msg":"request"')) pids.add((JSON.parse(line) as { pid: number }).pid);
        }
      }
      expect(pids.size).toBe(2);
    } finally {
      expect(await app.stop('SIGTERM')).toBe(0);
    }
  });

  it('refuses a wrong configuration with exit code 1 and one line naming the variable', async () => {
    const result = await runCli(['serve'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT /);
  });

  it('never prints a secret in a configuration error', async () => {
    const result = await runCli(['serve'], { ...env, SLACK_BOT_TOKEN: 'not-a-token-secret-value' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SLACK_BOT_TOKEN/);
    expect(result.stderr).not.toContain('not-a-token-secret-value');
  });

  it('migrates on demand and says when there is nothing to do', async () => {
    const first = await runCli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/up to date|applied/);
    const second = await runCli(['migrate'], env);
    expect(second.stdout).toContain('database is up to date');
  });

  it('has --help on every command', async () => {
    for (const command of ['serve', 'migrate']) {
      const result = await runCli([command, '--help'], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: salesai ${command}`);
    }
  });
});

describe('salesai serve with no DATABASE_URL (embedded PostgreSQL)', () => {
  it('starts the embedded database under DATA_DIR, serves, and stops it on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-embedded-'));
    // As root the embedded server runs as the postgres user, which must be able to enter DATA_DIR.
    await chmod(dataDir, 0o755);
    try {
      const app = await startServe({ DATA_DIR: dataDir }, [], 120_000);
      try {
        const detailed = await fetch(`${app.baseUrl}/api/v1/health/detailed`);
        const body = (await detailed.json()) as { components: { database: { info: { embedded: boolean } } } };
        expect(detailed.status).toBe(200);
        expect(body.components.database.info.embedded).toBe(true);
      } finally {
        expect(await app.stop('SIGTERM')).toBe(0);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
