import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../ops/runtime/migrate.ts';
import { createPool } from '../../ops/runtime/postgres.ts';
import { createPrng, testSeed } from '../helpers/prng.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { startRestartablePostgres } from '../helpers/restartable-postgres.ts';
import { startSlackLoad } from '../helpers/slack-load.ts';
import { replyProblems, storedId, storedUserMessages } from '../helpers/slack-replies.ts';
import { waitFor } from '../helpers/wait.ts';
import { testSigningSecret } from '../slack/helpers/signed.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PostgreSQL (a server of its own) stopped and started again while reps write to the app through
 * Slack's signed HTTP (Slack modelled: no 200 → retried): deliveries that hit the outage fail and
 * are counted; every message Slack got a 200 for is in the store by id; the service recovers by
 * itself and the agent answers every stored message exactly once.
 */
describe('PostgreSQL restarted under Slack load', () => {
  const seed = testSeed('postgres restart');
  const prng = createPrng(seed);
  let postgres: Awaited<ReturnType<typeof startRestartablePostgres>>;
  let slack: SlackStub;
  let app: RunningProcess;

  beforeAll(async () => {
    postgres = await startRestartablePostgres();
    await migrate(postgres.url, 'public');
    slack = await startSlackStub();
    app = await startServe({
      DATABASE_URL: postgres.url,
      SLACK_BOT_TOKEN: 'xoxb-pg-restart',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: slack.apiUrl,
      USE_MOCK_LLM: 'true',
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await postgres?.destroy();
  });

  it('loses no acknowledged message, counts the deliveries that hit the outage, and answers everything after', async () => {
    const pool = createPool({ url: postgres.url, schema: 'public', max: 4 });
    const load = startSlackLoad({
      eventsUrl: () => `${app.baseUrl}/api/v1/slack/events`,
      prng,
      reps: 8,
      mentionChannels: 2,
      mentionShare: 0.25,
      pauseMs: [200, 800],
      // Slack's schedule, compressed, still outlasting the outage.
      retryDelaysMs: [1000, 4000, 10_000],
    });
    await waitFor(() => load.messages.filter((m) => m.acknowledged).length >= 10, 30_000, 20);
    const before = load.messages.length;
    await postgres.stop();
    const downAt = load.messages.length;
    // The outage lasts until deliveries have failed on it.
    await waitFor(() => load.messages.some((m) => m.outcomes.some((o) => o !== 200)), 30_000, 20);
    await sleep(1000);
    await postgres.start();
    const upAt = load.messages.length;
    await sleep(3000);
    await load.stop();

    const sent = load.messages;
    const failed = sent.flatMap((m) => m.outcomes).filter((o) => o !== 200).length;
    const hit = sent.filter((m) => m.outcomes.some((o) => o !== 200));
    const acknowledged = sent.filter((m) => m.acknowledged);
    expect(failed).toBeGreaterThan(0);
    expect(hit.length).toBeGreaterThan(0);
    // Every message Slack got a 200 for is in the store, by id.
    const stored = new Set((await storedUserMessages(pool)).map((s) => `${s.streamId}/${s.messageId}`));
    expect(acknowledged.filter((m) => !stored.has(storedId(m)))).toEqual([]);
    // Most that hit the outage got through on a retry.
    expect(hit.filter((m) => m.acknowledged).length).toBeGreaterThan(0);

    // The service recovers by itself, and the agent answers every stored message once.
    await waitFor(
      async () => (await fetch(`${app.baseUrl}/api/v1/health/detailed`)).status === 200,
      60_000,
      250,
    );
    let result = await replyProblems(pool, () => slack.messages(), sent);
    await waitFor(
      async () => {
        result = await replyProblems(pool, () => slack.messages(), sent);
        return result.problems.length === 0;
      },
      120_000,
      250,
    ).catch(() => undefined);
    expect(result.problems).toEqual([]);
    expect(result.answered.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(app.child.exitCode).toBeNull();
    console.log(
      `postgres restart (seed ${seed}): ${sent.length} messages (${before} before the stop, ${upAt - downAt} sent during the outage), ` +
        `${failed} deliveries failed on it (${hit.length} messages), ${acknowledged.length} acknowledged, ` +
        `${sent.filter((m) => m.gaveUp).length} given up by Slack, lost 0; ${result.answered.length} answered once each`,
    );
    await pool.end();
  }, 240_000);
});
