import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningProcess, runCli, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  blockAction,
  commandFields,
  dmChannel,
  dmEvent,
  eventCallback,
  mentionEvent,
  publicChannel,
  slackTs,
  userId,
} from '../slack/helpers/payloads.ts';
import { formInit, interactiveInit, jsonInit, testSigningSecret } from '../slack/helpers/signed.ts';
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
  let env: Record<string, string>;
  let dataDir: string;

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
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-privacy-'));
    env = {
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
    };
    app = await startServe(env);
    // The starter knowledge base is published on the first start; answers cite it once projected.
    await waitFor(
      async () =>
        (await rows(`SELECT 1 FROM ${schema}.knowledge_documents LIMIT 1`).catch(() => [])).length > 0,
      60_000,
      200,
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop('SIGTERM');
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.end();
    await stub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const command = async (name: string, user: string, text: string) => {
    const id = randomBytes(4).toString('hex');
    const res = await fetch(
      `${app.baseUrl}/api/v1/slack/commands`,
      formInit(commandFields({ command: name, text, user, responseUrl: stub.responseUrl(id) })),
    );
    const body = (await res.json()) as { text?: string; blocks?: unknown };
    if (body.text || body.blocks) return `${body.text ?? ''}${json(body.blocks ?? '')}`;
    const [late] = await stub.waitFor('response_url', (c) => c.path === id, { timeoutMs: 10_000 });
    return `${late!.body.text ?? ''}${json(late!.body.blocks ?? '')}`;
  };

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
    // The conversation's streams: the thread's own, or its sessions' (dialogue-<conversation>/<session>).
    const stream = `dialogue-${stubTeam.id}:${channel}:${thread}`;
    const writers = await rows<{ user_id: string }>(
      `SELECT DISTINCT data->>'userId' AS user_id FROM ${schema}.es_events
        WHERE (stream_id = $1 OR stream_id LIKE $1 || '/%') AND data->>'userId' IS NOT NULL`,
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

  it('guests and external (Slack Connect) users are refused the internal knowledge base; members are not', async () => {
    const member = userId();
    const guest = userId();
    const stranger = userId();
    stub.setUser(guest, { is_restricted: true });
    stub.setUser(stranger, { is_stranger: true, team_id: 'T0OTHERORG' });
    expect(await command('/ai_knowledge', member, '価格 値引き')).toContain('全文を表示');
    for (const outsider of [guest, stranger]) {
      const answer = await command('/ai_knowledge', outsider, '価格 値引き');
      expect(answer).toContain('メンバーだけ');
      expect(answer).not.toContain('全文を表示');
    }
    // The "show full text" button refuses them too.
    const [document] = await rows<{ document_id: string }>(
      `SELECT document_id FROM ${schema}.knowledge_documents LIMIT 1`,
    );
    await fetch(
      `${app.baseUrl}/api/v1/slack/interactive`,
      interactiveInit(
        blockAction({
          user: guest,
          actionId: 'show_document:0',
          value: document!.document_id,
          responseUrl: stub.responseUrl('guest-doc'),
        }),
      ),
    );
    const [refusal] = await stub.waitFor('response_url', (c) => c.path === 'guest-doc');
    expect(String(refusal!.body.text)).toContain('メンバーだけ');
    // The coach answers a guest without the knowledge base: no citations, no sources.
    const memberDm = dmChannel();
    const guestDm = dmChannel();
    await sendEvent(dmEvent({ user: member, channel: memberDm, text: '価格が高いと言われました。' }));
    await sendEvent(dmEvent({ user: guest, channel: guestDm, text: '価格が高いと言われました。' }));
    const [toMember] = await stub.waitFor('chat.update', inChannel(memberDm), { timeoutMs: 20_000 });
    const [toGuest] = await stub.waitFor('chat.update', inChannel(guestDm), { timeoutMs: 20_000 });
    expect(json(toMember!.body.blocks)).toContain('show_document');
    expect(String(toGuest!.body.text)).toContain('価格');
    expect(json(toGuest!.body.blocks)).not.toContain('show_document');
    expect(String(toGuest!.body.text)).not.toMatch(/\[1\]/);
  });

  it('forget-user also clears what the running app keeps of the person: their Home tab is published again', async () => {
    const rep = userId();
    const dm = dmChannel();
    await sendEvent(dmEvent({ user: rep, channel: dm, text: 'ロールプレイ: 値引きを迫る購買部長' }));
    await stub.waitFor('chat.postMessage', inChannel(dm), { timeoutMs: 20_000 });
    const before = stub.calls('views.publish').filter((c) => c.body.user_id === rep).length;
    const forgot = await runCli(['forget-user', rep, '--yes'], env);
    expect(forgot.code).toBe(0);
    const published = await stub.waitFor('views.publish', (c) => c.body.user_id === rep, {
      count: before + 1,
      timeoutMs: 15_000,
    });
    const home = json(published.at(-1)!.body.view);
    expect(home).toContain('"type":"home"');
    expect(home).not.toContain('値引きを迫る購買部長');
  }, 60_000);
});
