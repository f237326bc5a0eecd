import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStoreDbStore } from '../../write/event-store/eventstoredb/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, runCli, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import { dmChannel, dmEvent, eventCallback, userId } from '../slack/helpers/payloads.ts';
import { jsonInit, testSigningSecret } from '../slack/helpers/signed.ts';
import { type EventStoreDouble, startEventStoreDouble } from '../stubs/eventstoredb/server.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

/**
 * The whole system with EVENTSTORE_URL pointing at the wire-level EventStoreDB double: the
 * app, the CLI and the projectors talk to it through the real client over real gRPC.
 */
describe('the system on EventStoreDB (wire-level test double)', () => {
  let eventstore: EventStoreDouble;
  let database: TestDatabase;
  let stub: SlackStub;
  let app: RunningProcess;
  let dataDir: string;
  let env: Record<string, string>;
  /** The user who wrote to the app through Slack: their texts are sealed with their key. */
  const slackUser = userId();
  const count = async (table: string, db = database) =>
    Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const userEvents = (double: EventStoreDouble, type?: string) =>
    double.log.records.filter((r) => !r.type.startsWith('$') && (!type || r.type === type));

  beforeAll(async () => {
    eventstore = await startEventStoreDouble();
    database = await createTestDatabase({ max: 2 });
    stub = await startSlackStub();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-e2e-esdb-'));
    // History written before the app starts: the projections catch up on it.
    const store = createEventStoreDbStore(eventstore.url);
    await appendGenerated(store, generateDialogues({ users: 2, sessionsPerUser: 2, exchangesPerSession: 2 }));
    await store.close();
    env = {
      DATABASE_URL: database.url,
      DATABASE_SCHEMA: database.schema,
      // The Postgres server is shared: a small pool each for the app and the CLI runs.
      DATABASE_POOL_SIZE: '6',
      DATABASE_MAX_OVERFLOW: '0',
      EVENTSTORE_URL: eventstore.url,
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
    };
    app = await startServe(env);
  }, 180_000);

  afterAll(async () => {
    await app?.stop('SIGTERM');
    await stub?.close();
    await database?.drop();
    await eventstore?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on it, says so in health, and the projections catch up on the history it holds', async () => {
    expect(app.output()).toContain('eventstoredb event store');
    const health = (await (await fetch(`${app.baseUrl}/api/v1/health/detailed`)).json()) as {
      components: Record<string, { status: string; info?: { kind?: string } }>;
    };
    expect(health.components.eventStore).toMatchObject({ status: 'ok', info: { kind: 'eventstoredb' } });
    await waitFor(async () => (await count('dialogue_sessions')) === 4, 60_000, 200);
    // Nothing went to the Postgres event store.
    expect(await count('es_events')).toBe(0);
  });

  it('Slack DM: one reply; the message and the answer are events in EventStoreDB', async () => {
    const before = userEvents(eventstore, 'MessageReceived').length;
    const channel = dmChannel();
    const event = dmEvent({
      user: slackUser,
      channel,
      text: '価格が高いと言われました。どう返せばいいですか？',
    });
    const res = await fetch(`${app.baseUrl}/api/v1/slack/events`, jsonInit(eventCallback(event)));
    expect(res.status).toBe(200);
    const [update] = await stub.waitFor('chat.update', (c) => c.body.channel === channel, {
      timeoutMs: 30_000,
    });
    expect(String(update!.body.text).length).toBeGreaterThan(0);
    await waitFor(() => userEvents(eventstore, 'MessageReceived').length >= before + 2, 30_000, 100);
    expect(await count('es_events')).toBe(0);
    await waitFor(async () => (await count('dialogue_sessions')) === 5, 30_000, 200);
  });

  it('survives a cut connection: subscriptions resubscribe (counted in /metrics) and the next DM is answered', async () => {
    eventstore.dropConnections();
    const resubscribed = async () => {
      const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
      const match = /event_store_subscription_failures_total\{outcome="resubscribed"\} (\d+)/.exec(text);
      return match ? Number(match[1]) : 0;
    };
    await waitFor(async () => (await resubscribed()) >= 1, 30_000, 200);
    const channel = dmChannel();
    const event = dmEvent({ user: slackUser, channel, text: '次回の商談の準備は？' });
    expect((await fetch(`${app.baseUrl}/api/v1/slack/events`, jsonInit(eventCallback(event)))).status).toBe(
      200,
    );
    await stub.waitFor('chat.update', (c) => c.body.channel === channel, { timeoutMs: 30_000 });
    await waitFor(async () => (await count('dialogue_sessions')) === 6, 30_000, 200);
  });

  it('rebuilds a projection blue/green from it, with the same rows', async () => {
    const rows = await count('dialogue_sessions');
    const rebuild = await runCli(['rebuild', 'dialogue'], env, 120_000);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    const { rows: generations } = await database.pool.query<{ generation: number; state: string }>(
      `SELECT generation, state FROM projection_generations WHERE name = 'dialogue' AND state = 'live'`,
    );
    expect(generations[0]!.generation).toBeGreaterThan(1);
    expect(await count('dialogue_sessions')).toBe(rows);
  });

  it('backs up from it and restores into another one', async () => {
    const backup = await runCli(['backup'], env, 120_000);
    expect(backup.code, backup.stderr).toBe(0);
    const [dir] = await readdir(path.join(dataDir, 'backups'));
    const target = await startEventStoreDouble();
    const targetDb = await createTestDatabase({ max: 2 });
    try {
      const restore = await runCli(
        ['restore', path.join(dataDir, 'backups', dir!)],
        { ...env, EVENTSTORE_URL: target.url, DATABASE_SCHEMA: targetDb.schema },
        120_000,
      );
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toMatch(/ok {2}events: (\d+) \(backup: \1\)/);
      const [, restoredCount] = /ok {2}events: (\d+)/.exec(restore.stdout)!;
      const restored = userEvents(target);
      expect(restored).toHaveLength(Number(restoredCount));
      const source = new Set(userEvents(eventstore).map((r) => r.id));
      expect(restored.every((r) => source.has(r.id))).toBe(true);
      expect(await count('dialogue_sessions', targetDb)).toBe(await count('dialogue_sessions'));
    } finally {
      await targetDb.drop();
      await target.stop();
    }
  });

  it('forgets a user: their sealed events in it are counted, their key destroyed', async () => {
    const forget = await runCli(['forget-user', slackUser, '--yes', '--json'], env, 120_000);
    expect(forget.code, forget.stderr).toBe(0);
    const report = JSON.parse(forget.stdout) as { hadKey: boolean; events: Record<string, number> };
    expect(report.hadKey).toBe(true);
    expect(Object.values(report.events).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});

describe('EVENTSTORE_URL the client cannot parse', () => {
  it('stops serve and the CLI with one line naming the variable, exit 1, before opening the database', async () => {
    const env = {
      EVENTSTORE_URL: 'esdb://user:secret@eventstore:2113?tls=maybe',
      // Unreachable: were it opened first, the error would be about the database.
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
    };
    for (const args of [['serve'], ['rebuild', 'dialogue']]) {
      const result = await runCli(args, env, 60_000);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(/^Invalid configuration: EVENTSTORE_URL [^\n]+$/);
      expect(result.stderr).not.toContain('secret');
    }
  });
});
