import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../ops/runtime/free-port.ts';
import { dialogueStreamId } from '../../write/dialogue/stream.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { createPrng, testSeed } from '../helpers/prng.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { tablesAndRebuild } from '../helpers/rebuild-check.ts';
import { startSlackLoad } from '../helpers/slack-load.ts';
import { repliesShownFor, replyPlace, storedUserMessages, unfinished } from '../helpers/slack-replies.ts';
import { waitFor } from '../helpers/wait.ts';
import { testSigningSecret } from '../slack/helpers/signed.ts';
import type { LlmStub } from '../stubs/llm-stub-server.ts';
import { startOpenAiStub } from '../stubs/openai-stub.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

const kills = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The process that receives Slack's signed HTTP (with the agent and the projectors in it) is
 * SIGKILLed, with the process group it leads, at random moments while reps' DMs and mentions are
 * in flight, and started again on the same port. Slack is modelled: an event without a 200 is
 * retried with X-Slack-Retry-Num. The model answers through the OpenAI SDK from a local stub that
 * writes slowly, so replies are being written when the kills land.
 */
describe('the Slack-facing process SIGKILLed under load and restarted', () => {
  const seed = testSeed('sigkill');
  const prng = createPrng(seed);
  let db: TestDatabase;
  let slack: SlackStub;
  let llm: LlmStub;
  let app: RunningProcess | null = null;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase({ max: 6 });
    slack = await startSlackStub();
    llm = await startOpenAiStub({
      // A reply takes about half a second to write, in a dozen pieces.
      fallback: () => ({
        kind: 'answer',
        chunks: Array.from({ length: 12 }, (_, i) => `手順${i + 1}：相手の懸念を確認し、価値を伝えます。\n`),
        paceMs: 40,
      }),
    });
    env = {
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      DATABASE_POOL_SIZE: '8',
      PORT: String(await freePort()),
      SLACK_BOT_TOKEN: 'xoxb-sigkill',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: slack.apiUrl,
      USE_MOCK_LLM: 'false',
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-sigkill',
      OPENAI_BASE_URL: `${llm.url}/v1`,
      // Insights at the end of a session: these conversations never end, every request is a reply.
      INSIGHTS_MODE: 'session_end',
    };
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
    await slack?.close();
    await db?.drop();
  });

  /**
   * Starts the service like a supervisor would (systemd's Restart=always): a start that fails
   * (the shared database refusing connections for a moment) is tried again.
   */
  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startServe(env, [], 90_000, { ownGroup: true });
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(1000 * attempt);
      }
    }
  };

  it('loses no acknowledged message, shows exactly one reply to each, and its tables equal a rebuild', async () => {
    app = await start();
    const eventsUrl = `${app.baseUrl}/api/v1/slack/events`;
    const load = startSlackLoad({
      eventsUrl: () => eventsUrl,
      prng,
      reps: 10,
      mentionChannels: 3,
      mentionShare: 0.3,
      pauseMs: [600, 2400],
    });
    const repliesInFlight = () => slack.messages().filter(unfinished).length;
    const landed: { requests: number; replies: number }[] = [];
    const restartMs: number[] = [];
    for (let kill = 0; kill < kills; kill++) {
      // A random moment, then the first instant with requests and replies both in flight.
      await sleep(prng.int(800, 3000));
      await waitFor(() => load.inFlight() > 0 && repliesInFlight() > 0, 30_000, 1);
      landed.push({ requests: load.inFlight(), replies: repliesInFlight() });
      expect(await app.stop('SIGKILL')).toBeNull();
      const down = performance.now();
      app = await start();
      restartMs.push(performance.now() - down);
    }
    await sleep(2000);
    await load.stop();

    const sent = load.messages;
    const acknowledged = sent.filter((m) => m.acknowledged);
    const retried = sent.filter((m) => m.outcomes.length > 1);
    // Every message Slack got a 200 for is in the store, by id, once.
    await waitFor(async () => (await storedUserMessages(db.pool)).length >= acknowledged.length, 30_000);
    const stored = await storedUserMessages(db.pool);
    const storedIds = stored.map((s) => `${s.streamId}/${s.messageId}`);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    const idOf = (m: (typeof sent)[number]) => `${dialogueStreamId(replyPlace(m).conversation)}/${m.ts}`;
    const missing = acknowledged.filter((m) => !storedIds.includes(idOf(m)));
    expect(missing, 'acknowledged messages not stored').toEqual([]);
    // Nothing is stored that Slack did not send.
    const sentIds = new Set(sent.map(idOf));
    expect(storedIds.filter((id) => !sentIds.has(id))).toEqual([]);

    // Every stored message (acknowledged or not) gets exactly one reply, finished, in Slack.
    const storedSet = new Set(storedIds);
    const answered = sent.filter((m) => storedSet.has(idOf(m)));
    const problems = () => {
      const all = slack.messages();
      return answered
        .map((m) => ({ m, shown: repliesShownFor(all, m) }))
        .filter(({ shown }) => shown.length !== 1 || unfinished(shown[0]!) || shown[0]!.text.trim() === '');
    };
    // On a loaded machine the agent may still be working through the backlog the kills left.
    await waitFor(() => problems().length === 0, 240_000, 200).catch(() => undefined);
    const left = problems();
    expect(
      left.map(({ m, shown }) => ({
        kind: m.kind,
        ts: m.ts,
        shown: shown.map((s) => ({ text: s.text.slice(0, 40), streaming: s.streaming })),
        // Everything of ours in the conversation, to tell a lost reply from one shown elsewhere.
        channel: slack
          .messages(m.channel)
          .filter((s) => s.threadTs === (m.kind === 'dm' ? null : m.ts))
          .map(
            (s) => `${s.ts} ${String(s.metadata?.event_payload?.reply_key ?? '-')} ${s.text.slice(0, 20)}`,
          ),
      })),
      'messages without exactly one finished reply',
    ).toEqual([]);
    // And nothing else of ours is shown: one message per answered message in each DM.
    for (const channel of new Set(answered.filter((m) => m.kind === 'dm').map((m) => m.channel))) {
      const ours = slack.messages(channel).filter((s) => s.threadTs === null);
      expect(ours.length, `messages of ours in ${channel}`).toBe(
        answered.filter((m) => m.channel === channel && m.kind === 'dm').length,
      );
    }

    // Every read table equals a clean rebuild from the events.
    const { before, after } = await tablesAndRebuild(db.pool);
    expect(after).toEqual(before);

    // The kills landed while requests and replies were in flight.
    expect(landed).toHaveLength(kills);
    for (const at of landed) {
      expect(at.requests).toBeGreaterThan(0);
      expect(at.replies).toBeGreaterThan(0);
    }
    expect(retried.length).toBeGreaterThan(0);
    const outcomes = new Map<string, number>();
    for (const o of sent.flatMap((m) => m.outcomes))
      outcomes.set(String(o), (outcomes.get(String(o)) ?? 0) + 1);
    const placeholdersCompleted = slack
      .messages()
      .filter((s) => s.madeBy === 'chat.postMessage' && s.updates > 1).length;
    console.log(
      `sigkill (seed ${seed}): ${kills} kills with ${landed.map((l) => `${l.requests}/${l.replies}`).join(' ')} ` +
        `requests/replies in flight; ${sent.length} messages sent, ${acknowledged.length} acknowledged, ` +
        `${retried.length} retried by Slack, ${sent.filter((m) => m.gaveUp).length} given up; ` +
        `${stored.length} stored, lost 0; ${answered.length} replies, each shown once ` +
        `(${placeholdersCompleted} placeholders updated more than once); ${Object.keys(after).length} projections equal a rebuild; ` +
        `attempts by outcome ${JSON.stringify(Object.fromEntries(outcomes))}; ` +
        `restart ${Math.round(Math.min(...restartMs))}–${Math.round(Math.max(...restartMs))} ms`,
    );
  }, 480_000);
});
