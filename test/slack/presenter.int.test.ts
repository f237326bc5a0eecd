import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../schemas/logger.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createReplyLedger } from '../../slack-edge/presenter/ledger.ts';
import { replyMetadata } from '../../slack-edge/presenter/orphan.ts';
import { createSlackPresenter } from '../../slack-edge/presenter/slack-presenter.ts';
import { SlackAuthState } from '../../slack-edge/web/auth-state.ts';
import { SlackClient } from '../../slack-edge/web/client.ts';
import type { ReplyContext, ReplyPresenter } from '../../write/agent/ports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';
import { type SlackCall, type SlackStub, startSlackStub } from '../stubs/slack-api.ts';
import { dmChannel, publicChannel, slackTs, userId } from './helpers/payloads.ts';

const sessionId = '6f1c1d1e-2a3b-5c4d-8e5f-6a7b8c9d0e1f';
const citations = [{ documentId: 'objection-price', title: '価格反論への対応', version: 1 }];
const answer = '*次の一手*\n1. 予算の背景を聞く\n2. 費用対効果を示す [1]\n\n参考：\n[1] 価格反論への対応';

const dmContext = (replyTo = slackTs()): ReplyContext => {
  const channel = dmChannel();
  return {
    conversation: {
      id: `T0STUB:${channel}:dm`,
      teamId: 'T0STUB',
      channelId: channel,
      channelKind: 'im',
      threadTs: null,
    },
    sessionId,
    userId: userId(),
    replyTo,
    language: 'ja',
    kind: 'coaching',
  };
};

const threadContext = (kind: ReplyContext['kind'] = 'coaching'): ReplyContext => {
  const channel = publicChannel();
  const thread = slackTs();
  return {
    conversation: {
      id: `T0STUB:${channel}:${thread}`,
      teamId: 'T0STUB',
      channelId: channel,
      channelKind: 'channel',
      threadTs: thread,
    },
    sessionId,
    userId: userId(),
    replyTo: thread,
    language: 'ja',
    kind,
  };
};

/** Writes `text` the way the agent does: in small deltas, then finish. */
const present = async (presenter: ReplyPresenter, context: ReplyContext, text = answer, chunk = 7) => {
  const stream = await presenter.begin(context);
  for (let i = 0; i < text.length; i += chunk) await stream.append(text.slice(i, i + chunk));
  await stream.finish(text, citations);
};

const inChannel = (channel: string) => (c: SlackCall) => (c.body.channel ?? c.body.channel_id) === channel;
const json = (value: unknown) => JSON.stringify(value);

/** A logger that keeps what was logged at error level. */
const recordingLogger = () => {
  const errors: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    error: ((a: unknown, b?: string) =>
      errors.push(typeof a === 'string' ? a : (b ?? ''))) as Logger['error'],
    child: () => logger,
  };
  return { logger, errors };
};

describe('the Slack reply presenter (Web API stub, Postgres ledger)', () => {
  let stub: SlackStub;
  let db: TestDatabase;
  let presenter: ReplyPresenter;
  let client: SlackClient;
  let auth: SlackAuthState;
  const counted: string[] = [];
  const logged = recordingLogger();

  beforeAll(async () => {
    stub = await startSlackStub();
    db = await createTestDatabase();
    auth = new SlackAuthState(logged.logger);
    client = new SlackClient({
      token: 'xoxb-test-token',
      apiUrl: stub.apiUrl,
      logger: silentLogger,
      auth,
      errors: { inc: ({ method, error }) => counted.push(`${method}:${error}`) },
      retries: 2,
    });
    presenter = createSlackPresenter({
      client,
      ledger: createReplyLedger(db.pool),
      logger: silentLogger,
      streamBufferSize: 16,
    });
  });
  afterAll(async () => {
    await stub.close();
    await db.drop();
  });
  /** The ledger entry an attempt leaves when it dies after claiming the reply and before recording its message. */
  const interruptedAttempt = async (context: ReplyContext) => {
    const key = `${context.conversation.id}#${context.replyTo}`;
    await db.pool.query(
      "INSERT INTO slack_reply_posts (reply_key, channel_id, state) VALUES ($1, $2, 'started')",
      [key, context.conversation.channelId],
    );
    return key;
  };

  beforeEach(() => {
    stub.reset();
    counted.length = 0;
  });

  it('DM top level: a placeholder at once, replaced by the answer with sources, feedback and end buttons', async () => {
    const context = dmContext();
    await present(presenter, context);
    const channel = inChannel(context.conversation.channelId);
    const posts = stub.calls('chat.postMessage').filter(channel);
    const updates = stub.calls('chat.update').filter(channel);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.text).toContain('考えています');
    expect(posts[0]!.body.thread_ts).toBeUndefined();
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body.ts).toBe(stub.calls('chat.postMessage')[0]!.body.ts ?? updates[0]!.body.ts);
    const blocks = json(updates[0]!.body.blocks);
    expect(blocks).toContain('*次の一手*');
    expect(blocks).toContain('参考資料');
    expect(blocks).toContain('feedback_buttons');
    expect(blocks).toContain('end_session');
    expect(stub.calls('chat.startStream')).toHaveLength(0);
    expect(posts[0]!.auth).toBe('Bearer xoxb-test-token');
  });

  it('thread: thinking status, then the answer streamed and finished with the footer; nothing posted', async () => {
    const context = threadContext();
    await present(presenter, context);
    const status = await stub.waitFor('assistant.threads.setStatus');
    expect(status[0]!.body).toMatchObject({
      channel_id: context.conversation.channelId,
      thread_ts: context.conversation.threadTs,
    });
    const [start] = stub.calls('chat.startStream');
    expect(start!.body).toMatchObject({
      channel: context.conversation.channelId,
      thread_ts: context.conversation.threadTs,
      recipient_team_id: 'T0STUB',
      recipient_user_id: context.userId,
    });
    const streamed = [start!, ...stub.calls('chat.appendStream'), ...stub.calls('chat.stopStream')]
      .flatMap((c) => (c.body.chunks as { text?: string }[] | undefined) ?? [])
      .map((chunk) => chunk.text ?? '')
      .join('');
    // Standard Markdown for the streaming methods: the coach's *bold* becomes **bold**.
    expect(streamed).toContain('**次の一手**');
    expect(streamed).toContain('費用対効果を示す [1]');
    const [stop] = stub.calls('chat.stopStream');
    expect(json(stop!.body.blocks)).toContain('feedback_buttons');
    expect(json(stop!.body.blocks)).toContain('show_document:0');
    expect(stub.calls('chat.postMessage')).toHaveLength(0);
  });

  it('thread where streaming is refused: the answer is posted in the thread instead', async () => {
    stub.script('chat.startStream', { body: { ok: false, error: 'not_allowed_token_type' } });
    stub.script('assistant.threads.setStatus', { body: { ok: false, error: 'not_allowed' } });
    const context = threadContext();
    await present(presenter, context);
    const posts = stub.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.thread_ts).toBe(context.conversation.threadTs);
    expect(json(posts[0]!.body.blocks)).toContain('end_session');
    expect(counted).toContain('chat.startStream:not_allowed_token_type');
  });

  it('falls back to plain feedback buttons when Slack refuses the native element, and keeps doing so', async () => {
    stub.script('chat.update', { body: { ok: false, error: 'invalid_blocks' } });
    const fresh = createSlackPresenter({ client, ledger: createReplyLedger(db.pool), logger: silentLogger });
    await present(fresh, dmContext());
    const updates = stub.calls('chat.update');
    expect(updates).toHaveLength(2);
    expect(json(updates[0]!.body.blocks)).toContain('feedback_buttons');
    expect(json(updates[1]!.body.blocks)).toContain('reply_feedback:up');
    await present(fresh, dmContext());
    expect(json(stub.calls('chat.update')[2]!.body.blocks)).not.toContain('feedback_buttons');
  });

  it('a reply written again after a crash reuses its message, and a finished one is never posted twice', async () => {
    const context = threadContext();
    const first = await presenter.begin(context);
    for (const line of answer.split('\n')) await first.append(`${line}\n`);
    const [start] = await stub.waitFor('chat.startStream');
    // The ledger knows where the streamed message is.
    const key = `${context.conversation.id}#${context.replyTo}`;
    await waitFor(async () => {
      const { rows } = await db.pool.query('SELECT message_ts FROM slack_reply_posts WHERE reply_key = $1', [
        key,
      ]);
      return rows[0]?.message_ts;
    });
    // The process died here. The agent writes the reply again:
    await present(presenter, context);
    expect(stub.calls('chat.startStream')).toHaveLength(1);
    const [update] = stub.calls('chat.update');
    expect(update!.body.channel).toBe(start!.body.channel);
    expect(json(update!.body.blocks)).toContain('feedback_buttons');
    expect(stub.calls('chat.stopStream').length).toBeGreaterThanOrEqual(1);
    expect(stub.calls('chat.postMessage')).toHaveLength(0);
    // And once more, after it was shown: nothing at all.
    const before = stub.calls().length;
    await present(presenter, context);
    expect(stub.calls().length).toBe(before);
  });

  it('a DM placeholder posted by an attempt that died before recording it is completed, not left behind', async () => {
    const context = dmContext();
    const channel = context.conversation.channelId;
    // The earlier attempt: claimed, placeholder posted (with its key), killed before the ledger heard of it.
    const key = await interruptedAttempt(context);
    const earlier = await client.chat.postMessage({
      channel,
      text: '考えています…',
      metadata: replyMetadata(key),
    });
    // Another reply's message in the same DM is not taken for it.
    await client.chat.postMessage({ channel, text: 'another answer' });
    await present(presenter, context);
    expect(stub.calls('chat.postMessage').filter(inChannel(channel))).toHaveLength(2);
    const shown = stub.messages(channel);
    expect(shown.map((m) => m.ts)).toEqual([earlier.ts, shown[1]!.ts]);
    expect(shown[0]!.text).toContain('次の一手');
    expect(shown[1]!.text).toBe('another answer');
    const { rows } = await db.pool.query(
      'SELECT message_ts, state FROM slack_reply_posts WHERE reply_key = $1',
      [key],
    );
    expect(rows).toEqual([{ message_ts: earlier.ts, state: 'posted' }]);
  });

  it('a streamed thread reply begun by an attempt that died before recording it is completed in place', async () => {
    const context = threadContext();
    const { channelId: channel, threadTs } = context.conversation;
    const key = `${context.conversation.id}#${context.replyTo}`;
    // An earlier reply of the conversation, known to the ledger: not this one's.
    const before = await client.chat.postMessage({ channel, thread_ts: threadTs!, text: 'earlier answer' });
    await db.pool.query(
      "INSERT INTO slack_reply_posts (reply_key, channel_id, message_ts, state) VALUES ($1, $2, $3, 'posted')",
      [`${key}-earlier`, channel, before.ts],
    );
    await interruptedAttempt(context);
    const started = await client.chat.startStream({
      channel,
      thread_ts: threadTs!,
      markdown_text: '*次の',
    });
    await present(presenter, context);
    expect(stub.calls('chat.startStream').filter(inChannel(channel))).toHaveLength(1);
    const shown = stub.messages(channel);
    expect(shown).toHaveLength(2);
    expect(shown[1]!.ts).toBe(started.ts);
    expect(shown[1]!.text).toContain('費用対効果');
    expect(shown[0]!.text).toBe('earlier answer');
  });

  it('resumes only a reply whose showing began and did not finish', async () => {
    const context = dmContext();
    const channel = context.conversation.channelId;
    // Never begun (an old reply, or one written without Slack): nothing to resume.
    expect(await presenter.resume!(context)).toBeNull();
    // Begun: the placeholder is up, the process dies before the answer is shown.
    await presenter.begin(context);
    await stub.waitFor('chat.postMessage', inChannel(channel));
    await waitFor(async () => {
      const { rows } = await db.pool.query('SELECT message_ts FROM slack_reply_posts WHERE reply_key = $1', [
        `${context.conversation.id}#${context.replyTo}`,
      ]);
      return rows[0]?.message_ts;
    });
    const resumed = await presenter.resume!(context);
    expect(resumed).not.toBeNull();
    await resumed!.finish(answer, citations);
    const shown = stub.messages(channel);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text).toContain('次の一手');
    // Shown in full: nothing more to resume.
    expect(await presenter.resume!(context)).toBeNull();
  });

  it('a reply whose earlier attempt posted nothing is posted once', async () => {
    const context = dmContext();
    const channel = context.conversation.channelId;
    await interruptedAttempt(context);
    await present(presenter, context);
    const shown = stub.messages(channel);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text).toContain('次の一手');
  });

  it('a reply longer than one streamed message continues in further messages', async () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `${i + 1}. ${'具体的な確認事項を一つずつ整理します。'.repeat(12)}`,
    ).join('\n');
    const small = createSlackPresenter({
      client,
      ledger: createReplyLedger(db.pool),
      logger: silentLogger,
      streamCap: 2000,
    });
    const context = threadContext();
    await present(small, context, long, 50);
    const update = stub.calls('chat.update');
    const posts = stub.calls('chat.postMessage');
    expect(update).toHaveLength(1);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const call of [...update, ...posts]) expect(String(call.body.text).length).toBeLessThanOrEqual(3000);
    expect(json(posts.at(-1)!.body.blocks)).toContain('end_session');
    expect(json(update[0]!.body.blocks)).not.toContain('end_session');
  });

  it('an apology replaces whatever was streamed, without feedback buttons', async () => {
    const context = threadContext();
    const stream = await presenter.begin(context);
    await stream.append('途中まで書いた回答です。ここまでは届いています。\n続きが');
    await stub.waitFor('chat.startStream');
    await stream.fail('申し訳ありません。');
    const [update] = stub.calls('chat.update');
    expect(update!.body.text).toBe('申し訳ありません。');
    expect(json(update!.body.blocks)).not.toContain('feedback');
  });

  it('waits out a 429 for as long as Retry-After says, then delivers', async () => {
    stub.script('chat.update', {
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    const started = Date.now();
    await present(presenter, dmContext());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(stub.calls('chat.update')).toHaveLength(2);
    expect(counted).toContain('chat.update:ratelimited');
  });

  it('does not wait out a Retry-After longer than SLACK_MAX_RETRY_AFTER: the reply is posted instead', async () => {
    const impatient = createSlackPresenter({
      client: new SlackClient({
        token: 'xoxb-test-token',
        apiUrl: stub.apiUrl,
        logger: silentLogger,
        auth,
        errors: { inc: ({ method, error }) => counted.push(`${method}:${error}`) },
        retries: 2,
        maxRetryAfterSeconds: 5,
      }),
      ledger: createReplyLedger(db.pool),
      logger: silentLogger,
    });
    stub.script('chat.update', {
      status: 429,
      headers: { 'Retry-After': '600' },
      body: { ok: false, error: 'ratelimited' },
    });
    const context = dmContext();
    await present(impatient, context);
    const channel = inChannel(context.conversation.channelId);
    expect(stub.calls('chat.update').filter(channel)).toHaveLength(1);
    const posts = stub.calls('chat.postMessage').filter(channel);
    expect(posts).toHaveLength(2);
    expect(String(posts[1]!.body.text)).toContain('次の一手');
    expect(counted).toContain('chat.update:ratelimited');
  });

  it('a refused token is logged once, shown in health and counted every time; a success clears it', async () => {
    stub.always('chat.postMessage', { body: { ok: false, error: 'invalid_auth' } });
    stub.always('chat.update', { body: { ok: false, error: 'invalid_auth' } });
    for (let i = 0; i < 3; i++) await present(presenter, dmContext()).catch(() => {});
    expect(logged.errors.filter((m) => m.includes('invalid_auth'))).toHaveLength(1);
    expect(counted.filter((c) => c.endsWith(':invalid_auth')).length).toBeGreaterThanOrEqual(3);
    expect(auth.health('http', null)).toMatchObject({
      status: 'down',
      detail: expect.stringContaining('invalid_auth'),
    });
    stub.reset();
    await client.auth.test();
    expect(auth.health('http', null).status).not.toBe('down');
  });

  it('shows the reply even when the ledger’s database fails', async () => {
    const broken = async () => {
      throw new Error('database down');
    };
    const shaky = createSlackPresenter({
      client,
      ledger: {
        claim: broken,
        find: broken,
        messagePosted: broken,
        continuing: broken,
        finished: broken,
        claimedMessages: broken,
        prune: broken,
      },
      logger: silentLogger,
    });
    const context = dmContext();
    await present(shaky, context);
    expect(stub.calls('chat.update').filter(inChannel(context.conversation.channelId))).toHaveLength(1);
  });

  it('model text pings no one: streamed, posted and updated text carry no broadcast or mention markup', async () => {
    const pinging =
      '<!channel> 皆さん、<!here> と <!everyone> に共有します。\n<!subteam^S0SALES|@sales> と <@U0BOSS|boss> と <@U0PEER> も。@here\n';
    const pingMarkup = /<[!@]|(?<!\u200B)@(here|channel|everyone)\b/;
    const streamedIn = (channel: string) =>
      [
        ...stub.calls('chat.startStream'),
        ...stub.calls('chat.appendStream'),
        ...stub.calls('chat.stopStream'),
      ]
        .filter(inChannel(channel))
        .map((c) => `${c.body.markdown_text ?? ''}${json(c.body.chunks ?? '')}`)
        .join('');
    const thread = threadContext();
    await present(presenter, thread, pinging, 5);
    const streamed = streamedIn(thread.conversation.channelId);
    expect(streamed).toContain('皆さん');
    expect(streamed).not.toMatch(pingMarkup);

    const dm = dmContext();
    await present(presenter, dm, pinging);
    const [update] = stub.calls('chat.update').filter(inChannel(dm.conversation.channelId));
    expect(String(update!.body.text)).toContain('sales');
    expect(`${update!.body.text}${json(update!.body.blocks)}`).not.toMatch(pingMarkup);

    stub.script('chat.startStream', { body: { ok: false, error: 'not_allowed_token_type' } });
    const refused = threadContext();
    await present(presenter, refused, pinging);
    const posts = stub.calls('chat.postMessage').filter(inChannel(refused.conversation.channelId));
    expect(posts).toHaveLength(1);
    expect(`${posts[0]!.body.text}${json(posts[0]!.body.blocks)}`).not.toMatch(pingMarkup);
  });

  it('leaves conversations that are not Slack’s alone', async () => {
    const stream = await presenter.begin({
      ...dmContext(),
      conversation: {
        id: 'cli:local:dm',
        teamId: 'cli',
        channelId: 'local',
        channelKind: 'cli',
        threadTs: null,
      },
    });
    await stream.append('x');
    await stream.finish('x', []);
    expect(stub.calls()).toHaveLength(0);
  });
});
