import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  blockAction,
  channelMessageEvent,
  commandFields,
  dmChannel,
  dmEvent,
  eventCallback,
  eventId,
  mentionEvent,
  publicChannel,
  slackTs,
  userId,
} from '../slack/helpers/payloads.ts';
import {
  formInit,
  interactiveInit,
  jsonInit,
  signedInit,
  testSigningSecret,
} from '../slack/helpers/signed.ts';
import { type SlackCall, type SlackStub, startSlackStub, stubTeam } from '../stubs/slack-api.ts';

const inChannel = (channel: string) => (c: SlackCall) => (c.body.channel ?? c.body.channel_id) === channel;
const inThread = (channel: string, thread: string) => (c: SlackCall) =>
  inChannel(channel)(c) && c.body.thread_ts === thread;
const json = (value: unknown) => JSON.stringify(value);

type Block = {
  type: string;
  elements?: { action_id?: string; value?: string; positive_button?: { value: string } }[];
};

/** The value of an element of a reply's footer, by action id. */
const footerValue = (blocks: unknown, actionId: string): string => {
  for (const block of blocks as Block[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id === actionId) return element.positive_button?.value ?? element.value ?? '';
    }
  }
  throw new Error(`no ${actionId} in ${json(blocks)}`);
};

describe('Slack over signed HTTP against the running app (Web API stub, mock LLM)', () => {
  const schema = `e2e_slack_${randomBytes(4).toString('hex')}`;
  let stub: SlackStub;
  let app: RunningProcess;
  let db: pg.Pool;
  let env: Record<string, string>;

  const post = (path: string, init: RequestInit) => fetch(`${app.baseUrl}/api/v1/slack/${path}`, init);
  const sendEvent = (event: Record<string, unknown>, options: { id?: string; retryNum?: number } = {}) =>
    post(
      'events',
      jsonInit(
        eventCallback(event, options.id),
        options.retryNum !== undefined ? { retryNum: options.retryNum } : {},
      ),
    );
  const countEvents = async (type: string, streamLike = '%') =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.es_events WHERE type = $1 AND stream_id LIKE $2`,
          [type, streamLike],
        )
      ).rows[0]!.n,
    );
  /** The reply to a DM: the placeholder post, then its update with the answer. */
  const dmReplyOf = async (channel: string) => {
    const [update] = await stub.waitFor('chat.update', inChannel(channel), { timeoutMs: 20_000 });
    return update!;
  };

  beforeAll(async () => {
    stub = await startSlackStub();
    db = new pg.Pool({ connectionString: inject('postgresUrl'), max: 2 });
    env = {
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
      MANAGER_USER_IDS: 'UMGR0E2E',
      TEAMS: 'UMGR0E2E:UREP0E2E',
    };
    app = await startServe(env);
    // The starter knowledge base is published on the first start; answers cite it once it is projected.
    await waitFor(
      async () =>
        Number(
          (
            await db
              .query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.knowledge_documents`)
              .catch(() => ({
                rows: [{ n: '0' }],
              }))
          ).rows[0]!.n,
        ) > 0,
      60_000,
      200,
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop('SIGTERM');
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.end();
    await stub.close();
  });

  it('answers url_verification with the challenge', async () => {
    const res = await post('events', jsonInit({ token: 'x', challenge: 'c-123', type: 'url_verification' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses unsigned, badly signed and stale requests with 401, recording nothing', async () => {
    const channel = dmChannel();
    const body = JSON.stringify(eventCallback(dmEvent({ user: userId(), channel, text: 'こんにちは' })));
    const before = await countEvents('MessageReceived');
    const unsigned = await post('events', signedInit(body, 'application/json', { unsigned: true }));
    const wrong = await post('events', signedInit(body, 'application/json', { secret: 'not-the-secret' }));
    const stale = await post(
      'events',
      signedInit(body, 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    );
    const tampered = await post('events', {
      ...signedInit(body, 'application/json'),
      body: body.replace('こんにちは', 'さようなら'),
    });
    for (const res of [unsigned, wrong, stale, tampered]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    const command = await post(
      'commands',
      formInit(commandFields({ command: '/ai_help', user: userId(), responseUrl: stub.responseUrl('x') }), {
        secret: 'nope',
      }),
    );
    expect(command.status).toBe(401);
    // Nothing was recorded: an event is acknowledged only once recorded, so the refused ones
    // either were by now or never will be.
    expect(await countEvents('MessageReceived')).toBe(before);
    // A signed DM in the same conversation afterwards is its only message and gets the only reply
    // (the agent answers a conversation in order, so a reply to a refused one would come first).
    expect((await sendEvent(dmEvent({ user: userId(), channel, text: '確認' }))).status).toBe(200);
    await dmReplyOf(channel);
    expect(stub.calls('chat.postMessage').filter(inChannel(channel))).toHaveLength(1);
    expect(await countEvents('MessageReceived', `dialogue-${stubTeam.id}:${channel}:%`)).toBe(2);
  });

  it('answers malformed bodies with 400 and keeps serving', async () => {
    const bad = [
      await post('events', signedInit('{"type": "event_callback", ', 'application/json')),
      await post('events', jsonInit({ type: 'event_callback', team_id: 'T1' })),
      await post('commands', formInit({ command: '/ai_help' })),
      await post('interactive', formInit({ nothing: 'here' })),
      await post('interactive', formInit({ payload: '{"type": "block_actions", "user": ' })),
    ];
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    }
    expect((await fetch(`${app.baseUrl}/api/v1/health`)).status).toBe(200);
    expect(
      (await post('events', jsonInit({ type: 'url_verification', challenge: 'still-here' }))).status,
    ).toBe(200);
  });

  it('DM: one reply, with citations, feedback and end-session buttons; Slack retries ×3 add nothing', async () => {
    const user = userId();
    const channel = dmChannel();
    const id = eventId();
    const event = dmEvent({ user, channel, text: '価格が高いと言われました。どう返せばいいですか？' });
    const first = await sendEvent(event, { id });
    expect(first.status).toBe(200);
    for (const retryNum of [1, 2, 3]) expect((await sendEvent(event, { id, retryNum })).status).toBe(200);

    const update = await dmReplyOf(channel);
    const blocks = json(update.body.blocks);
    expect(blocks).toContain('参考資料');
    expect(blocks).toMatch(/show_document:0/);
    expect(blocks).toContain('feedback_buttons');
    expect(blocks).toContain('セッション終了');
    expect(String(update.body.text)).toContain('[1]');
    // A later DM in the same conversation is answered after anything the retries could have
    // caused (one conversation is answered in order): two replies in all, not more.
    expect((await sendEvent(dmEvent({ user, channel, text: 'ありがとう' }))).status).toBe(200);
    await stub.waitFor('chat.update', inChannel(channel), { count: 2, timeoutMs: 20_000 });
    expect(stub.calls('chat.postMessage').filter(inChannel(channel))).toHaveLength(2);
    expect(stub.calls('chat.update').filter(inChannel(channel))).toHaveLength(2);
    expect(await countEvents('MessageReceived', `dialogue-${stubTeam.id}:${channel}:%`)).toBe(4);
  });

  it('a mention in a channel is answered in its thread (streamed), and so is a follow-up without a mention', async () => {
    const user = userId();
    const channel = publicChannel();
    const ts = slackTs();
    expect(
      (await sendEvent(mentionEvent({ user, channel, ts, text: '初回訪問で聞くべきことは？' }))).status,
    ).toBe(200);
    const [status] = await stub.waitFor('assistant.threads.setStatus', (c) => c.body.channel_id === channel);
    expect(status!.body.thread_ts).toBe(ts);
    const [stop] = await stub.waitFor('chat.stopStream', inChannel(channel), { timeoutMs: 20_000 });
    expect(json(stop!.body.blocks)).toContain('end_session');
    expect(stub.calls('chat.startStream').filter(inThread(channel, ts))).toHaveLength(1);

    // Follow-up in the thread, no mention: answered. Another person, a bot, an edit: not.
    const followUp = channelMessageEvent({
      user,
      channel,
      threadTs: ts,
      text: '予算が決まっていない場合はどうしますか？',
    });
    expect((await sendEvent(followUp)).status).toBe(200);
    await stub.waitFor('chat.stopStream', inChannel(channel), { count: 2, timeoutMs: 20_000 });
    await sendEvent(channelMessageEvent({ user: userId(), channel, threadTs: ts, text: '横から失礼します' }));
    await sendEvent({
      ...channelMessageEvent({ user, channel, threadTs: ts, text: 'bot says hi' }),
      bot_id: 'B999',
    });
    await sendEvent({
      ...channelMessageEvent({ user, channel, threadTs: ts, text: '編集' }),
      subtype: 'message_changed',
    });
    // A thread the bot was never mentioned in: not its business.
    await sendEvent(channelMessageEvent({ user, channel, threadTs: slackTs(), text: '別スレッド' }));
    // Events are acknowledged once recorded: none of those was. A last follow-up in the thread is
    // answered after anything they could have caused (a conversation is answered in order).
    expect(await countEvents('MessageReceived', `dialogue-${stubTeam.id}:${channel}:%`)).toBe(4);
    expect((await sendEvent({ ...followUp, ts: slackTs(), text: '最後にもう一つ' })).status).toBe(200);
    await stub.waitFor('chat.stopStream', inChannel(channel), { count: 3, timeoutMs: 20_000 });
    expect(stub.calls('chat.startStream').filter(inChannel(channel))).toHaveLength(3);
    expect(stub.calls('chat.postMessage').filter(inChannel(channel))).toHaveLength(0);
    expect(await countEvents('MessageReceived', `dialogue-${stubTeam.id}:${channel}:%`)).toBe(6);
  });

  it('/ai_help answers with the usage in Japanese and English', async () => {
    const res = await post(
      'commands',
      formInit(commandFields({ command: '/ai_help', user: userId(), responseUrl: stub.responseUrl('help') })),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; blocks: unknown };
    expect(body.response_type).toBe('ephemeral');
    expect(json(body.blocks)).toContain('AI営業コーチの使い方');
    expect(json(body.blocks)).toContain('How to use the AI sales coach');
  });

  it('/ai_knowledge lists the top documents with snippets and a button for the whole text', async () => {
    const res = await post(
      'commands',
      formInit(
        commandFields({
          command: '/ai_knowledge',
          text: '価格 値引き',
          user: userId(),
          responseUrl: stub.responseUrl('k'),
        }),
      ),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      response_type: string;
      blocks: { type: string; accessory?: { value: string } }[];
    };
    expect(body.response_type).toBe('ephemeral');
    const results = body.blocks.filter((b) => b.accessory);
    expect(results.length).toBeGreaterThan(0);
    expect(json(body.blocks)).toContain('全文を表示');

    const empty = await post(
      'commands',
      formInit(
        commandFields({
          command: '/ai_knowledge',
          text: '  ',
          user: userId(),
          responseUrl: stub.responseUrl('k2'),
        }),
      ),
    );
    expect(((await empty.json()) as { text: string }).text).toContain('/ai_knowledge');

    // The button opens the document in a modal.
    const user = userId();
    const documentId = results[0]!.accessory!.value;
    const click = await post(
      'interactive',
      interactiveInit(
        blockAction({
          user,
          actionId: 'show_document:0',
          value: documentId,
          responseUrl: stub.responseUrl('doc'),
        }),
      ),
    );
    expect(click.status).toBe(200);
    const [open] = await stub.waitFor('views.open', (c) => json(c.body.view).includes('knowledge_document'));
    expect(json(open!.body.view)).toContain('"type":"header"');
  });

  it('/ai_history shows skills with sparklines, strengths and improvements, sessions per week (managers: their team); Home follows new insights', async () => {
    const user = 'UREP0E2E';
    const channel = dmChannel();
    await sendEvent(
      dmEvent({ user, channel, text: '見積もりの後、返事がありません。どうフォローすればいいですか？' }),
    );
    await dmReplyOf(channel);
    // The insight on that exchange reaches the growth read model shortly after the reply.
    const body = await waitFor(
      async () => {
        const res = await post(
          'commands',
          formInit(commandFields({ command: '/ai_history', user, responseUrl: stub.responseUrl('h') })),
        );
        const answer = (await res.json()) as { blocks?: unknown };
        return json(answer.blocks).includes('ヒアリング') ? answer : null;
      },
      30_000,
      500,
    );
    const text = json(body?.blocks);
    expect(text).not.toContain('enc:v1:');
    // The new insight refreshed the rep's Home tab, without them opening it.
    const [home] = await stub.waitFor('views.publish', (c) => c.body.user_id === user, { timeoutMs: 20_000 });
    expect(json(home!.body.view)).toMatch(/ヒアリング：\*\d\.\d\*/);
    expect(text).toMatch(/ヒアリング：\*\d\.\d\* `[▁▂▃▄▅▆▇█]+`/);
    expect(text).toContain('週ごとのセッション数');
    expect(text).toContain('最近の良かった点');

    // The rep's manager may see it (the mention as Slack escapes it); another rep may not.
    const asManager = await post(
      'commands',
      formInit(
        commandFields({
          command: '/ai_history',
          text: '<@UREP0E2E|rep>',
          user: 'UMGR0E2E',
          responseUrl: stub.responseUrl('m'),
        }),
      ),
    );
    const managerView = json(((await asManager.json()) as { blocks: unknown }).blocks);
    expect(managerView).toContain('<@UREP0E2E> さんの成長履歴です');
    expect(managerView).toMatch(/ヒアリング：\*\d\.\d\*/);
    const asPeer = await post(
      'commands',
      formInit(
        commandFields({
          command: '/ai_history',
          text: '<@UREP0E2E|rep>',
          user: userId(),
          responseUrl: stub.responseUrl('p'),
        }),
      ),
    );
    expect(((await asPeer.json()) as { text: string }).text).toContain('権限がありません');

    stub.setLocale('UENGLISH1', 'en-US');
    const english = await post(
      'commands',
      formInit(
        commandFields({ command: '/ai_history', user: 'UENGLISH1', responseUrl: stub.responseUrl('h2') }),
      ),
    );
    expect(((await english.json()) as { text: string }).text).toContain('No growth history yet');
  });

  it('feedback buttons record FeedbackGiven; the end-session button records SessionEnded (only for its rep)', async () => {
    const user = userId();
    const channel = dmChannel();
    await sendEvent(dmEvent({ user, channel, text: '競合の方が安いと言われたら？' }));
    const update = await dmReplyOf(channel);
    const feedback = footerValue(update.body.blocks, 'reply_feedback');
    const endValue = footerValue(update.body.blocks, 'end_session');

    const before = await countEvents('FeedbackGiven', `dialogue-${stubTeam.id}:${channel}:%`);
    const click = await post(
      'interactive',
      interactiveInit(
        blockAction({
          user,
          actionId: 'reply_feedback',
          type: 'feedback_buttons',
          value: feedback,
          responseUrl: stub.responseUrl('fb'),
        }),
      ),
    );
    expect(click.status).toBe(200);
    await waitFor(
      async () => (await countEvents('FeedbackGiven', `dialogue-${stubTeam.id}:${channel}:%`)) === before + 1,
    );
    const [thanks] = await stub.waitFor('response_url', (c) => c.path === 'fb');
    expect(thanks!.body).toMatchObject({ response_type: 'ephemeral' });
    const rating = await db.query<{ rating: string }>(
      `SELECT data->>'rating' AS rating FROM ${schema}.es_events WHERE type = 'FeedbackGiven' AND stream_id LIKE $1`,
      [`dialogue-${stubTeam.id}:${channel}:%`],
    );
    expect(rating.rows[0]?.rating).toBe('up');

    const stranger = await post(
      'interactive',
      interactiveInit(
        blockAction({
          user: userId(),
          actionId: 'end_session',
          value: endValue,
          responseUrl: stub.responseUrl('no'),
        }),
      ),
    );
    expect(stranger.status).toBe(200);
    const [refusal] = await stub.waitFor('response_url', (c) => c.path === 'no');
    expect(String(refusal!.body.text)).toContain('始めた方だけ');

    const end = await post(
      'interactive',
      interactiveInit(
        blockAction({ user, actionId: 'end_session', value: endValue, responseUrl: stub.responseUrl('end') }),
      ),
    );
    expect(end.status).toBe(200);
    await waitFor(
      async () => (await countEvents('SessionEnded', `dialogue-${stubTeam.id}:${channel}:%`)) === 1,
    );
    const reason = await db.query<{ reason: string }>(
      `SELECT data->>'reason' AS reason FROM ${schema}.es_events WHERE type = 'SessionEnded' AND stream_id LIKE $1`,
      [`dialogue-${stubTeam.id}:${channel}:%`],
    );
    expect(reason.rows[0]?.reason).toBe('user');
    const [ended] = await stub.waitFor('response_url', (c) => c.path === 'end');
    expect(String(ended!.body.text)).toContain('セッションを終了しました');
  });

  it('app_home_opened publishes the Home tab; its button starts a roleplay in a DM thread', async () => {
    const user = userId();
    const res = await sendEvent({
      type: 'app_home_opened',
      user,
      channel: dmChannel(),
      tab: 'home',
      event_ts: slackTs(),
    });
    expect(res.status).toBe(200);
    const [published] = await stub.waitFor('views.publish', (c) => c.body.user_id === user);
    const view = json(published!.body.view);
    expect(view).toContain('"type":"home"');
    expect(view).toContain('start_roleplay');

    const click = await post(
      'interactive',
      interactiveInit(blockAction({ user, actionId: 'start_roleplay', value: 'none' })),
    );
    expect(click.status).toBe(200);
    const [open] = await stub.waitFor('views.open', (c) =>
      json(c.body.view).includes('start_roleplay_modal'),
    );
    const modal = open!.body.view as { private_metadata: string };
    const submission = {
      type: 'view_submission',
      team: { id: stubTeam.id, domain: 'stub' },
      user: { id: user, username: 'rep', team_id: stubTeam.id },
      view: {
        id: `V${randomBytes(4).toString('hex').toUpperCase()}`,
        callback_id: 'start_roleplay_modal',
        private_metadata: modal.private_metadata,
        state: {
          values: {
            persona: { persona_input: { type: 'plain_text_input', value: '多忙な情報システム部長' } },
          },
        },
      },
    };
    const submitted = await post('interactive', interactiveInit(submission));
    expect(submitted.status).toBe(200);
    const [intro] = await stub.waitFor('chat.postMessage', (c) =>
      String(c.body.text).includes('多忙な情報システム部長'),
    );
    const channel = String(intro!.body.channel);
    // The agent answers as the buyer in the thread of the opening message.
    await stub.waitFor('chat.startStream', (c) => c.body.channel === channel, { timeoutMs: 20_000 });
    expect(await countEvents('SessionStarted', `dialogue-${stubTeam.id}:${channel}:%`)).toBe(1);
  });

  it('reports Slack in the detailed health', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/health/detailed`);
    const body = (await res.json()) as {
      components: Record<string, { status: string; info?: Record<string, unknown> }>;
    };
    expect(body.components.slack).toMatchObject({
      status: 'ok',
      info: { mode: 'http', botUserId: stubTeam.botUserId },
    });
  });

  it('a Slack retry after a process restart adds no message and no reply', async () => {
    const user = userId();
    const channel = dmChannel();
    const id = eventId();
    const event = dmEvent({ user, channel, text: '決裁者に会わせてもらえません。' });
    await sendEvent(event, { id });
    await dmReplyOf(channel);
    expect(await app.stop('SIGTERM')).toBe(0);
    app = await startServe(env);
    expect((await sendEvent(event, { id, retryNum: 3 })).status).toBe(200);
    // A fresh message after the restart is answered (so the agent is running) …
    const other = dmChannel();
    await sendEvent(dmEvent({ user, channel: other, text: '値引きを求められました。' }));
    await dmReplyOf(other);
    // … while the retried one got nothing new.
    expect(stub.calls('chat.postMessage').filter(inChannel(channel))).toHaveLength(1);
    expect(stub.calls('chat.update').filter(inChannel(channel))).toHaveLength(1);
    expect(await countEvents('MessageReceived', `dialogue-${stubTeam.id}:${channel}:%`)).toBe(2);
  }, 120_000);
});
