import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../ops/runtime/free-port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { ciStrict } from '../helpers/ci.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { createPrng, testSeed } from '../helpers/prng.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { startSlackLoad } from '../helpers/slack-load.ts';
import { replyProblems } from '../helpers/slack-replies.ts';
import { waitFor } from '../helpers/wait.ts';
import { testSigningSecret } from '../slack/helpers/signed.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedisServer) {
  if (ciStrict()) throw new Error('redis-server is required for the Redis outage test under CI');
  console.warn('SKIPPED: Redis outage test — no redis-server binary');
}

/**
 * Redis (a server of its own) stopped under load: the API answers from PostgreSQL, health says
 * degraded, reps' messages through signed Slack HTTP are still recorded and answered (those sent
 * during the outage are counted), and everything recovers.
 */
describe.skipIf(!hasRedisServer)('Redis stopped under load', () => {
  const seed = testSeed('redis outage');
  const prng = createPrng(seed);
  let db: TestDatabase;
  let app: RunningProcess;
  let slack: SlackStub;
  let redis: ChildProcess | null = null;
  let port = 0;
  const key = `fault-${prng.hex(12)}`;

  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        }),
      10_000,
    );
  };
  const stopRedis = async () => {
    const child = redis;
    redis = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  const cacheStatus = async () => {
    const body = (await (await fetch(`${app.baseUrl}/api/v1/health/detailed`)).json()) as {
      status: string;
      components: { cache: { status: string } };
    };
    return `${body.status}/${body.components.cache.status}`;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
    });
    await appendGenerated(store, generateDialogues({ users: 3, sessionsPerUser: 3, exchangesPerSession: 2 }));
    await store.close();
    port = await freePort();
    await startRedis();
    slack = await startSlackStub();
    app = await startServe({
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      REDIS_URL: `redis://127.0.0.1:${port}/0`,
      API_KEYS: `fault:analyst:${key}`,
      // The API load here is about the cache, not the rate limits (counted in process while Redis is down).
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_HOUR: '1000000',
      SLACK_BOT_TOKEN: 'xoxb-redis-outage',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: slack.apiUrl,
      USE_MOCK_LLM: 'true',
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await stopRedis();
    await db?.drop();
  });

  it('keeps answering from PostgreSQL, reports degraded, and recovers when Redis is back', async () => {
    const get = () =>
      fetch(`${app.baseUrl}/api/v1/users/U00001001/history`, {
        headers: { Authorization: `Bearer ${key}` },
      }).then((r) => r.status);
    await waitFor(async () => (await get()) === 200, 30_000, 200);
    expect(await cacheStatus()).toBe('ok/ok');

    const statuses: number[] = [];
    let running = true;
    // A request that fails outright counts as status 0 (and its error is kept): the loop goes on,
    // and the assertion below reports it.
    const errors: string[] = [];
    const load = (async () => {
      while (running) {
        statuses.push(
          await get().catch((error: Error) => {
            errors.push(`${error.message}: ${(error.cause as Error | undefined)?.message ?? ''}`);
            return 0;
          }),
        );
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const writes = startSlackLoad({
      eventsUrl: () => `${app.baseUrl}/api/v1/slack/events`,
      prng,
      reps: 4,
      mentionChannels: 1,
      mentionShare: 0.25,
      pauseMs: [100, 400],
    });
    await waitFor(() => statuses.length > 5 && writes.messages.some((m) => m.acknowledged), 30_000, 20);
    await stopRedis();
    await waitFor(async () => (await cacheStatus()) === 'degraded/degraded', 15_000, 200);
    // Reps keep writing while Redis is down.
    const sentBefore = writes.messages.length;
    const readBefore = statuses.length;
    await waitFor(
      () => writes.messages.length >= sentBefore + 5 && statuses.length >= readBefore + 10,
      30_000,
      20,
    );
    const duringOutage = writes.messages.slice(sentBefore);
    await startRedis();
    await waitFor(async () => (await cacheStatus()) === 'ok/ok', 30_000, 250);
    const readAfter = statuses.length;
    await waitFor(() => statuses.length >= readAfter + 5, 30_000, 20);
    running = false;
    await load;
    await writes.stop();

    // The messages sent while Redis was down were recorded (acknowledged) and are answered.
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.filter((m) => !m.acknowledged)).toEqual([]);
    let result = await replyProblems(db.pool, () => slack.messages(), writes.messages);
    await waitFor(
      async () => {
        result = await replyProblems(db.pool, () => slack.messages(), writes.messages);
        return result.problems.length === 0;
      },
      60_000,
      250,
    ).catch(() => undefined);
    expect(result.problems).toEqual([]);
    expect(result.answered.length).toBe(writes.messages.filter((m) => m.acknowledged).length);

    const failures = statuses.filter((s) => s !== 200);
    console.log(
      `redis outage (seed ${seed}): API requests ${statuses.length}, answered 200 ${statuses.length - failures.length}, failed ${failures.length}; ` +
        `Slack messages ${writes.messages.length} (${duringOutage.length} during the outage, all acknowledged), ${result.answered.length} answered once each`,
    );
    expect(statuses.length).toBeGreaterThan(20);
    expect({ failures, errors }).toEqual({ failures: [], errors: [] });
    expect(app.child.exitCode).toBeNull();
  }, 120_000);
});
