import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  dmChannel,
  dmEvent,
  eventCallback,
  mentionEvent,
  publicChannel,
  slackTs,
  userId,
} from '../slack/helpers/payloads.ts';
import { jsonInit, testSigningSecret } from '../slack/helpers/signed.ts';
import { type SlackCall, type SlackStub, startSlackStub, stubTeam } from '../stubs/slack-api.ts';

const inChannel = (channel: string) => (c: SlackCall) => (c.body.channel ?? c.body.channel_id) === channel;
const json = (value: unknown) => JSON.stringify(value);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The mock coach's tip on the rep's weakest skill (write/agent/llm/mock/reply.ts). */
const profileTip = '伸ばしたいスキル';

describe("Slack privacy: a rep's conversation and profile stay theirs (running app, mock LLM)", () => {
  const schema = `e2e_privacy_${randomBytes(4).toString('hex')}`;
  let stub: SlackStub;
  let app: RunningProcess;
  let db: pg.Pool;

  const sendEvent = (event: Record<string, unknown>) =>
    fetch(`${app.baseUrl}/api/v1/slack/events`, jsonInit(eventCallback(event)));
  const streamedText = (channel: string) =>
    [...stub.calls('chat.startStream'), ...stub.calls('chat.appendStream'), ...stub.calls('chat.stopStream')]
      .filter(inChannel(channel))
      .map((c) => `${c.body.markdown_text ?? ''}${json(c.body.chunks ?? '')}`)
      .join('');
  const rows = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) =>
    (await db.query<T>(sql, values)).rows;

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

  it("another rep mentioning the bot in a rep's thread gets a private note; nothing of theirs joins the rep's session", async () => {
    const repA = userId();
    const repB = userId();
    const channel = publicChannel();
    const thread = slackTs();
    await sendEvent(mentionEvent({ user: repA, channel, ts: thread, text: '初回訪問で聞くべきことは？' }));
    await stub.waitFor('chat.stopStream', inChannel(channel), { timeoutMs: 20_000 });

    const intrusion = slackTs();
    const res = await sendEvent(
      mentionEvent({ user: repB, channel, ts: intrusion, threadTs: thread, text: '私の商談も見てください' }),
    );
    expect(res.status).toBe(200);
    const [note] = await stub.waitFor('chat.postEphemeral', (c) => c.body.user === repB);
    expect(note!.body).toMatchObject({ channel, thread_ts: thread });
    expect(String(note!.body.text)).toContain('別の方のコーチングセッション');

    await sleep(1500);
    const stream = `dialogue-${stubTeam.id}:${channel}:${thread}`;
    const writers = await rows<{ user_id: string }>(
      `SELECT DISTINCT data->>'userId' AS user_id FROM ${schema}.es_events WHERE stream_id = $1`,
      [stream],
    );
    expect(writers.map((w) => w.user_id)).toEqual([repA]);
    expect(
      await rows(`SELECT 1 FROM ${schema}.es_events WHERE data->>'messageId' = $1`, [intrusion]),
    ).toHaveLength(0);
    // One answer in the thread: repA's. B was not answered there, with A's profile or otherwise.
    expect(stub.calls('chat.startStream').filter(inChannel(channel))).toHaveLength(1);
  });

  it("a rep's skill profile shapes DM answers but never a reply in a channel", async () => {
    const rep = userId();
    const dm = dmChannel();
    await sendEvent(dmEvent({ user: rep, channel: dm, text: '見積もりの後、返事がありません。' }));
    await stub.waitFor('chat.update', inChannel(dm), { timeoutMs: 20_000 });
    // The insight on that exchange gives the rep a profile.
    await waitFor(
      async () =>
        (
          await rows(`SELECT 1 FROM ${schema}.conversation_insights WHERE user_id = $1`, [rep]).catch(
            () => [],
          )
        ).length > 0,
      30_000,
      250,
    );
    await sleep(500);

    await sendEvent(dmEvent({ user: rep, channel: dm, text: '価格が高いと言われました。' }));
    const updates = await stub.waitFor('chat.update', inChannel(dm), { count: 2, timeoutMs: 20_000 });
    expect(String(updates[1]!.body.text)).toContain(profileTip);

    const channel = publicChannel();
    await sendEvent(mentionEvent({ user: rep, channel, text: '価格が高いと言われました。' }));
    await stub.waitFor('chat.stopStream', inChannel(channel), { timeoutMs: 20_000 });
    const streamed = streamedText(channel);
    expect(streamed).toContain('価格');
    expect(streamed).not.toContain(profileTip);
  });
});
