import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  blockAction,
  dmChannel,
  dmEvent,
  eventCallback,
  eventId,
  slackTs,
  userId,
} from '../slack/helpers/payloads.ts';
import { interactiveInit, jsonInit, testSigningSecret } from '../slack/helpers/signed.ts';
import { type SlackCall, type SlackStub, startSlackStub, stubTeam } from '../stubs/slack-api.ts';

const inChannel = (channel: string) => (c: SlackCall) => (c.body.channel ?? c.body.channel_id) === channel;

/** The events of an assistant pane: a thread opened, its context changed. */
const threadStarted = (user: string, channel: string, threadTs: string) => ({
  type: 'assistant_thread_started',
  assistant_thread: {
    user_id: user,
    context: { channel_id: 'C0VIEWED', team_id: stubTeam.id },
    channel_id: channel,
    thread_ts: threadTs,
  },
  event_ts: slackTs(),
});
const contextChanged = (user: string, channel: string, threadTs: string) => ({
  ...threadStarted(user, channel, threadTs),
  type: 'assistant_thread_context_changed',
});

/** The value of the 👍 of Slack's feedback element in a message's blocks. */
const positiveValue = (blocks: unknown): string => {
  type Element = { type?: string; positive_button?: { value: string } };
  for (const block of blocks as { elements?: Element[] }[])
    for (const element of block.elements ?? [])
      if (element.type === 'feedback_buttons' && element.positive_button)
        return element.positive_button.value;
  throw new Error(`no feedback_buttons in ${JSON.stringify(blocks)}`);
};

describe('Slack’s AI surface over signed HTTP (assistant threads, Messages tab, steps, feedback, expired streams)', () => {
  const schema = `e2e_slackai_${randomBytes(4).toString('hex')}`;
  let stub: SlackStub;
  let app: RunningProcess;
  let db: pg.Pool;

  const sendEvent = (event: Record<string, unknown>, options: { id?: string; retryNum?: number } = {}) =>
    fetch(
      `${app.baseUrl}/api/v1/slack/events`,
      jsonInit(
        eventCallback(event, options.id),
        options.retryNum !== undefined ? { retryNum: options.retryNum } : {},
      ),
    );
  /** As Slack delivers: a 503 (recording still running on a loaded machine) is retried with the same id. */
  const deliver = async (event: Record<string, unknown>, id: string) => {
    let res = await sendEvent(event, { id });
    for (let retryNum = 1; res.status === 503 && retryNum <= 3; retryNum++)
      res = await sendEvent(event, { id, retryNum });
    return res.status;
  };
  const countEvents = async (type: string, streamLike: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.es_events WHERE type = $1 AND stream_id LIKE $2`,
          [type, streamLike],
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    stub = await startSlackStub();
    db = new pg.Pool({ connectionString: inject('postgresUrl'), max: 2 });
    app = await startServe({
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop('SIGTERM');
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.end();
    await stub.close();
  });
  beforeEach(() => {
    stub.expireStreamsAfter(null);
  });

  it('a new assistant thread gets suggested prompts in the rep’s language; a context change is acknowledged and kept nowhere', async () => {
    const ja = userId();
    const jaChannel = dmChannel();
    const jaThread = slackTs();
    expect((await sendEvent(threadStarted(ja, jaChannel, jaThread))).status).toBe(200);
    const [prompts] = await stub.waitFor('assistant.threads.setSuggestedPrompts', inChannel(jaChannel));
    expect(prompts!.body).toMatchObject({ channel_id: jaChannel, thread_ts: jaThread });
    const titles = (prompts!.body.prompts as { title: string }[]).map((p) => p.title);
    expect(titles).toEqual(['ロールプレイで練習', '反論への切り返し', 'ナレッジを探す', '自分の成長を見る']);

    const en = userId();
    stub.setLocale(en, 'en-US');
    const enChannel = dmChannel();
    await sendEvent(threadStarted(en, enChannel, slackTs()));
    const [english] = await stub.waitFor('assistant.threads.setSuggestedPrompts', inChannel(enChannel));
    expect(String(english!.body.title)).toBe('Which deal shall we talk about?');
    expect(JSON.stringify(english!.body.prompts)).toContain('roleplay: a price-sensitive buyer');

    const before = stub.calls().length;
    expect((await sendEvent(contextChanged(ja, jaChannel, jaThread))).status).toBe(200);
    expect(
      stub
        .calls()
        .slice(before)
        .map((c) => c.method),
    ).toEqual([]);

    // Threads Bolt's Assistant could not place are answered, not failed (a 500 is retried for ever).
    const broken = threadStarted(ja, jaChannel, jaThread);
    for (const event of [
      { ...broken, assistant_thread: { user_id: ja, channel_id: jaChannel } },
      { ...broken, assistant_thread: { channel_id: jaChannel, thread_ts: jaThread } },
      { ...dmEvent({ user: ja, channel: jaChannel, threadTs: jaThread, text: 'x' }), channel: { name: 'x' } },
    ])
      expect((await sendEvent(event)).status).toBeLessThan(500);
  });

  it('opening the Messages tab sets the prompts for the conversation (no thread); the Home tab still publishes the dashboard', async () => {
    const user = userId();
    const channel = dmChannel();
    expect(
      (await sendEvent({ type: 'app_home_opened', user, channel, tab: 'messages', event_ts: slackTs() }))
        .status,
    ).toBe(200);
    const [prompts] = await stub.waitFor('assistant.threads.setSuggestedPrompts', inChannel(channel));
    expect(prompts!.body.thread_ts).toBeUndefined();
    expect(prompts!.body.prompts).toHaveLength(4);
    expect(stub.calls('views.publish').filter((c) => c.body.user_id === user)).toHaveLength(0);

    await sendEvent({ type: 'app_home_opened', user, channel, tab: 'home', event_ts: slackTs() });
    await stub.waitFor('views.publish', (c) => c.body.user_id === user);
  });

  it('a message in an assistant thread is recorded once, names the thread, and is answered there with status, steps and feedback', async () => {
    const user = userId();
    const channel = dmChannel();
    const thread = slackTs();
    await sendEvent(threadStarted(user, channel, thread));
    const id = eventId();
    const event = dmEvent({
      user,
      channel,
      threadTs: thread,
      text: '価格が高いと言われました。\nどう返せばいいですか？',
    });
    expect(await deliver(event, id)).toBe(200);
    for (const retryNum of [4, 5]) expect((await sendEvent(event, { id, retryNum })).status).toBe(200);

    const [stop] = await stub.waitFor('chat.stopStream', inChannel(channel), { timeoutMs: 30_000 });
    const [start] = stub.calls('chat.startStream').filter(inChannel(channel));
    expect(start!.body).toMatchObject({
      thread_ts: thread,
      recipient_user_id: user,
      task_display_mode: 'plan',
    });
    const [title] = await stub.waitFor('assistant.threads.setTitle', inChannel(channel));
    expect(title!.body).toMatchObject({ thread_ts: thread, title: '価格が高いと言われました。' });
    const [status] = stub.calls('assistant.threads.setStatus').filter(inChannel(channel));
    expect(status!.body).toMatchObject({ thread_ts: thread, status: '考えています…' });
    expect((status!.body.loading_messages as string[])[0]).toContain('ナレッジ');
    await waitFor(() => stub.statusOf(channel, thread) === '');

    const [reply, ...others] = stub.messages(channel);
    expect(others).toEqual([]);
    expect(reply!.threadTs).toBe(thread);
    expect(reply!.streaming).toBe(false);
    expect(reply!.tasks.map((task) => `${task.id}:${task.status}`)).toEqual([
      'knowledge:in_progress',
      'knowledge:complete',
      'answer:in_progress',
      'answer:complete',
    ]);
    const streamLike = `dialogue-${stubTeam.id}:${channel}:${thread}%`;
    expect(await countEvents('MessageReceived', streamLike)).toBe(2);

    // Slack's feedback element: its block_actions payload carries the button's value; a double
    // click (the same action_ts) is recorded once.
    const click = blockAction({
      user,
      actionId: 'reply_feedback',
      type: 'feedback_buttons',
      value: positiveValue(stop!.body.blocks),
      channel,
      messageTs: reply!.ts,
      responseUrl: stub.responseUrl('fb-ai'),
    });
    for (let i = 0; i < 2; i++)
      expect((await fetch(`${app.baseUrl}/api/v1/slack/interactive`, interactiveInit(click))).status).toBe(
        200,
      );
    await stub.waitFor('response_url', (c) => c.path === 'fb-ai', { count: 2 });
    expect(await countEvents('FeedbackGiven', streamLike)).toBe(1);
    expect(stub.calls('assistant.threads.setTitle').filter(inChannel(channel))).toHaveLength(1);
  });

  it('a stream Slack expires mid-answer is finished in a new message, once, also when Slack retries the event', async () => {
    stub.expireStreamsAfter(2);
    const user = userId();
    const channel = dmChannel();
    const thread = slackTs();
    const id = eventId();
    const event = dmEvent({
      user,
      channel,
      threadTs: thread,
      text: '初回訪問で聞くべきことを整理してください。',
    });
    expect((await sendEvent(event, { id })).status).toBe(200);
    const [continued] = await stub.waitFor(
      'chat.postMessage',
      (c) => inChannel(channel)(c) && String(c.body.text).includes('（続き）'),
      { timeoutMs: 30_000 },
    );
    expect(continued!.body.thread_ts).toBe(thread);
    expect(JSON.stringify(continued!.body.blocks)).toContain('feedback_buttons');
    const [streamed, next, ...more] = stub.messages(channel);
    expect(more).toEqual([]);
    expect(streamed!.expired).toBe(true);
    expect(next!.madeBy).toBe('chat.postMessage');
    const ledger = await waitFor(async () => {
      const { rows } = await db.query<{ state: string; continued_from: number | null }>(
        `SELECT state, continued_from FROM ${schema}.slack_reply_posts WHERE reply_key LIKE $1`,
        [`%${channel}%`],
      );
      return rows[0]?.state === 'posted' ? rows : null;
    });
    expect(ledger).toEqual([{ state: 'posted', continued_from: expect.any(Number) }]);

    expect((await sendEvent(event, { id, retryNum: 4 })).status).toBe(200);
    // A later message of the conversation is answered after anything the retry could cause.
    stub.expireStreamsAfter(null);
    expect(await deliver(dmEvent({ user, channel, threadTs: thread, text: 'ありがとう' }), eventId())).toBe(
      200,
    );
    const shown = await waitFor(() => {
      const all = stub.messages(channel);
      return all.length === 3 && !all[2]!.streaming ? all : null;
    }, 30_000);
    expect(shown?.[2]?.madeBy).toBe('chat.startStream');
    expect(stub.calls('chat.postMessage').filter(inChannel(channel))).toHaveLength(1);
  });
});
