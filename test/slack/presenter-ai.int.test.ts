import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { createReplyLedger } from '../../slack-edge/presenter/ledger.ts';
import { replyMetadata } from '../../slack-edge/presenter/orphan.ts';
import { createSlackPresenter } from '../../slack-edge/presenter/slack-presenter.ts';
import { SlackAuthState } from '../../slack-edge/web/auth-state.ts';
import { SlackClient } from '../../slack-edge/web/client.ts';
import type { ReplyContext, ReplyPresenter, ReplyStep } from '../../write/agent/ports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';
import { type SlackCall, type SlackStub, startSlackStub } from '../stubs/slack-api.ts';
import { dmChannel, slackTs, userId } from './helpers/payloads.ts';

const sessionId = '6f1c1d1e-2a3b-5c4d-8e5f-6a7b8c9d0e1f';
const citations = [{ documentId: 'objection-price', title: '価格反論への対応', version: 1 }];
const lines = Array.from(
  { length: 12 },
  (_, i) => `${i + 1}. 手順${i + 1}：相手の状況を確認してから提案します。`,
);
const answer = lines.join('\n');

/** An assistant thread: a thread of the rep's DM with the app. */
const assistantThread = (): ReplyContext => {
  const channel = dmChannel();
  const thread = slackTs();
  return {
    conversation: {
      id: `T0STUB:${channel}:${thread}`,
      teamId: 'T0STUB',
      channelId: channel,
      channelKind: 'im',
      threadTs: thread,
    },
    sessionId,
    userId: userId(),
    replyTo: slackTs(),
    language: 'ja',
    kind: 'coaching',
  };
};

const coachingSteps = {
  before: [
    { id: 'knowledge', status: 'in_progress' },
    { id: 'knowledge', status: 'complete', found: 2 },
    { id: 'answer', status: 'in_progress' },
  ] as ReplyStep[],
  after: [{ id: 'answer', status: 'complete' }] as ReplyStep[],
};

/** The agent's side: steps, the text in small deltas, the last step, finish. */
const present = async (presenter: ReplyPresenter, context: ReplyContext, text = answer, chunk = 9) => {
  const stream = await presenter.begin(context);
  for (const step of coachingSteps.before) await stream.step?.(step);
  for (let i = 0; i < text.length; i += chunk) await stream.append(text.slice(i, i + chunk));
  for (const step of coachingSteps.after) await stream.step?.(step);
  await stream.finish(text, citations);
};

/**
 * The same, a line at a time, each line let through once Slack shows it (or the stream has
 * ended): the stream gets one call per line, as when the model writes slowly.
 */
const presentSlowly = async (presenter: ReplyPresenter, context: ReplyContext, stub: SlackStub) => {
  const stream = await presenter.begin(context);
  for (const step of coachingSteps.before) await stream.step?.(step);
  for (const [i, line] of lines.entries()) {
    await stream.append(`${i === 0 ? '' : '\n'}${line}`);
    await waitFor(() => {
      const [message] = stub.messages(context.conversation.channelId);
      return message && (message.text.includes(line) || message.expired);
    });
  }
  for (const step of coachingSteps.after) await stream.step?.(step);
  await stream.finish(answer, citations);
};

const inChannel = (channel: string) => (c: SlackCall) => (c.body.channel ?? c.body.channel_id) === channel;
const json = (value: unknown) => JSON.stringify(value);
const keyOf = (context: ReplyContext) => `${context.conversation.id}#${context.replyTo}`;

describe('the Slack presenter with the AI surface: steps, thinking status, streams Slack ends early', () => {
  let stub: SlackStub;
  let db: TestDatabase;
  let client: SlackClient;
  const counted: string[] = [];
  const presenterFor = (bufferSize = 16) =>
    createSlackPresenter({
      client,
      ledger: createReplyLedger(db.pool),
      logger: silentLogger,
      streamBufferSize: bufferSize,
    });
  const ledgerRow = async (context: ReplyContext) =>
    (
      await db.pool.query(
        'SELECT message_ts, state, continued_from FROM slack_reply_posts WHERE reply_key = $1',
        [keyOf(context)],
      )
    ).rows[0];

  beforeAll(async () => {
    stub = await startSlackStub();
    db = await createTestDatabase();
    client = new SlackClient({
      token: 'xoxb-test-token',
      apiUrl: stub.apiUrl,
      logger: silentLogger,
      auth: new SlackAuthState(silentLogger),
      errors: { inc: ({ method, error }) => counted.push(`${method}:${error}`) },
      retries: 0,
    });
  });
  afterAll(async () => {
    await stub.close();
    await db.drop();
  });
  beforeEach(() => {
    stub.reset();
    counted.length = 0;
  });

  it('shows the steps as task updates in order, each completed, above the streamed answer; the status is cleared', async () => {
    const context = assistantThread();
    const { channelId: channel, threadTs } = context.conversation;
    await present(presenterFor(), context);
    const [status] = stub.calls('assistant.threads.setStatus');
    expect(status!.body).toMatchObject({ channel_id: channel, thread_ts: threadTs, status: '考えています…' });
    expect((status!.body.loading_messages as string[]).length).toBeGreaterThan(0);
    expect(stub.statusOf(channel, threadTs!)).toBe('');

    const [start] = stub.calls('chat.startStream');
    expect(start!.body).toMatchObject({ task_display_mode: 'plan', thread_ts: threadTs });
    expect((start!.body.chunks as { type: string }[]).map((c) => c.type).slice(0, 2)).toEqual([
      'plan_update',
      'task_update',
    ]);
    const [message] = stub.messages(channel);
    expect(message!.tasks.map((task) => `${task.id}:${task.status}`)).toEqual([
      'knowledge:in_progress',
      'knowledge:complete',
      'answer:in_progress',
      'answer:complete',
    ]);
    expect(message!.tasks[0]!.title).toBe('ナレッジベースを検索');
    expect(message!.streaming).toBe(false);
    for (const line of lines) expect(message!.text).toContain(line);
    expect(json(message!.blocks)).toContain('feedback_buttons');
    expect(stub.calls('chat.postMessage')).toHaveLength(0);
    expect(await ledgerRow(context)).toMatchObject({ message_ts: message!.ts, state: 'posted' });
  });

  it('a scorecard (text never streamed) goes into the stream its scoring step started', async () => {
    const context = { ...assistantThread(), kind: 'scorecard' as const };
    const stream = await presenterFor().begin(context);
    await stream.step?.({ id: 'scoring', status: 'in_progress' });
    await stream.step?.({ id: 'scoring', status: 'complete' });
    await stream.finish('*スコアカード*\nヒアリング：4/5', []);
    const [message] = stub.messages(context.conversation.channelId);
    expect(message!.tasks.map((task) => `${task.id}:${task.status}`)).toEqual([
      'scoring:in_progress',
      'scoring:complete',
    ]);
    expect(message!.text).toContain('ヒアリング：4/5');
    expect(message!.streaming).toBe(false);
  });

  it('an apology replaces the streamed text, and the steps still running end as failed', async () => {
    const context = assistantThread();
    const stream = await presenterFor().begin(context);
    for (const step of coachingSteps.before) await stream.step?.(step);
    await stream.append('途中まで書いた回答です。ここまでは届いています。\n');
    await waitFor(() => stub.messages(context.conversation.channelId)[0]?.text.includes('途中'));
    await stream.step?.({ id: 'answer', status: 'error' });
    await stream.fail('申し訳ありません。');
    const [message, ...others] = stub.messages(context.conversation.channelId);
    expect(others).toEqual([]);
    expect(message!.text).toBe('申し訳ありません。');
    expect(message!.streaming).toBe(false);
    expect(message!.tasks.at(-1)).toMatchObject({ id: 'answer', status: 'error' });
    expect(json(message!.blocks)).not.toContain('feedback');
  });

  it('a workspace that refuses task chunks gets the answer streamed without steps, and no more chunks after that', async () => {
    stub.refuseChunkTypes(['task_update', 'plan_update']);
    const presenter = presenterFor();
    const first = assistantThread();
    await present(presenter, first);
    expect(counted).toContain('chat.startStream:invalid_chunks');
    const [message] = stub.messages(first.conversation.channelId);
    for (const line of lines) expect(message!.text).toContain(line);
    expect(message!.tasks).toEqual([]);
    expect(stub.calls('chat.postMessage')).toHaveLength(0);

    counted.length = 0;
    const second = assistantThread();
    await present(presenter, second);
    const calls = ['chat.startStream', 'chat.appendStream', 'chat.stopStream'].flatMap((m) =>
      stub.calls(m).filter(inChannel(second.conversation.channelId)),
    );
    expect(json(calls.map((c) => c.body.chunks))).not.toContain('task_update');
    expect(counted).toEqual([]);
  });

  it('a stream Slack ends mid-answer keeps what it shows; the rest follows in one new message, shown once', async () => {
    stub.expireStreamsAfter(3);
    const presenter = presenterFor();
    const context = assistantThread();
    const { channelId: channel, threadTs } = context.conversation;
    await presentSlowly(presenter, context, stub);
    expect(counted).toContain('chat.appendStream:message_not_in_streaming_state');
    const [streamed, continued, ...more] = stub.messages(channel);
    expect(more).toEqual([]);
    expect(streamed!.expired).toBe(true);
    expect(streamed!.text).toContain(lines[0]);
    expect(streamed!.text).not.toContain(lines.at(-1));
    expect(continued!.madeBy).toBe('chat.postMessage');
    expect(continued!.threadTs).toBe(threadTs);
    expect(continued!.text).toContain('（続き）');
    expect(continued!.text).toContain(lines.at(-1));
    // Nothing lost, nothing twice: each line is in exactly one of the two messages.
    for (const line of lines) {
      const shown = [streamed!.text, continued!.text].filter((text) => text.includes(line));
      expect(shown, line).toHaveLength(1);
    }
    expect(json(continued!.blocks)).toContain('feedback_buttons');
    expect(continued!.metadata?.event_payload?.reply_key).toBe(keyOf(context));
    const row = await ledgerRow(context);
    expect(row).toMatchObject({ message_ts: streamed!.ts, state: 'posted' });
    expect(row.continued_from).toBeGreaterThan(0);
    expect(stub.statusOf(channel, threadTs!)).toBe('');

    // The agent writes the reply again (a retry after a crash): nothing more is shown.
    const before = stub.calls().length;
    await present(presenter, context);
    expect(stub.calls().length).toBe(before);
  });

  it('a stream that ends just before its stop: the footer follows in a new message, the text is not repeated', async () => {
    stub.expireStreamsAfter(1);
    const context = assistantThread();
    const short = '価格の前に、まず予算の決め方を聞きましょう。';
    await present(presenterFor(4), context, short, 40);
    const [streamed, continued, ...more] = stub.messages(context.conversation.channelId);
    expect(more).toEqual([]);
    expect(streamed!.text).toContain(short);
    expect(continued!.text).not.toContain('予算');
    expect(json(continued!.blocks)).toContain('end_session');
  });

  it('after a crash between recording the split and finishing, the continuation is completed in place or posted once', async () => {
    const presenter = presenterFor();
    const { channelId: channel, threadTs } = assistantThread().conversation;
    const contextIn = (ts: string): ReplyContext => ({ ...assistantThread(), replyTo: ts });
    const from = lines.slice(0, 3).join('\n').length;
    const crashed = async (withContinuation: boolean) => {
      const context = contextIn(slackTs());
      const conversation = {
        ...context.conversation,
        channelId: channel,
        threadTs,
        id: `T0STUB:${channel}:${threadTs}`,
      };
      const ctx = { ...context, conversation };
      const started = await client.chat.startStream({
        channel,
        thread_ts: threadTs!,
        markdown_text: lines.slice(0, 3).join('\n'),
      });
      await db.pool.query(
        `INSERT INTO slack_reply_posts (reply_key, channel_id, message_ts, state, continued_from)
         VALUES ($1, $2, $3, 'started', $4)`,
        [keyOf(ctx), channel, started.ts, from],
      );
      if (withContinuation)
        await client.chat.postMessage({
          channel,
          thread_ts: threadTs!,
          text: '_（続き）_\n4. 手順',
          metadata: replyMetadata(keyOf(ctx)),
        });
      const resumed = await presenter.resume!(ctx);
      await resumed!.finish(answer, citations);
      return ctx;
    };
    const completed = await crashed(true);
    expect(stub.calls('chat.postMessage')).toHaveLength(1);
    const [update] = stub.calls('chat.update');
    expect(String(update!.body.text)).toContain(lines.at(-1));
    expect(String(update!.body.text)).not.toContain(lines[0]);
    expect(await ledgerRow(completed)).toMatchObject({ state: 'posted' });

    stub.reset();
    const posted = await crashed(false);
    const posts = stub.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.body.text)).toContain(lines.at(-1));
    expect(String(posts[0]!.body.text)).not.toContain(lines[2]);
    expect(await ledgerRow(posted)).toMatchObject({ state: 'posted' });
  });
});
