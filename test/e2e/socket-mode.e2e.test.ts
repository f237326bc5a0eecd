import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { storedUserMessages, unfinished } from '../helpers/slack-replies.ts';
import { waitFor } from '../helpers/wait.ts';
import { dmChannel, dmEvent, eventCallback, eventId, slackTs, userId } from '../slack/helpers/payloads.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';
import { type SocketModeServer, startSocketModeServer } from '../stubs/socket-mode.ts';

/**
 * Socket Mode end to end: `salesai serve` with SLACK_APP_TOKEN opens a connection through
 * `apps.connections.open` on the Web API stub, to a local server speaking Slack's Socket Mode
 * protocol. A DM delivered as an envelope is acknowledged by its envelope_id and answered once;
 * after a `disconnect` the app reconnects, and the same event delivered again adds nothing.
 */
describe('Slack over Socket Mode against the running app', () => {
  let db: TestDatabase;
  let slack: SlackStub;
  let socket: SocketModeServer;
  let app: RunningProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    slack = await startSlackStub();
    socket = await startSocketModeServer();
    slack.setSocketModeUrl(socket.url);
    app = await startServe({
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_APP_TOKEN: 'xapp-1-socket-test',
      SLACK_API_URL: slack.apiUrl,
      USE_MOCK_LLM: 'true',
    });
    await socket.waitForConnections(1, 60_000);
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await socket?.close();
    await slack?.close();
    await db?.drop();
  });

  const finishedReplies = (channel: string) => slack.messages(channel).filter((m) => !unfinished(m));

  it('answers a DM delivered over the socket exactly once, also across a reconnect that redelivers it', async () => {
    // The connection was opened with the app-level token.
    const opens = slack.calls('apps.connections.open');
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(opens[0]!.auth).toBe('Bearer xapp-1-socket-test');

    const user = userId();
    const channel = dmChannel();
    const id = eventId();
    const payload = eventCallback(
      dmEvent({ user, channel, text: '価格が高いと言われました', ts: slackTs() }),
      id,
    );
    const first = socket.deliver('events_api', payload);
    expect(await socket.waitForAck(first)).toMatchObject({ envelope_id: first });
    await waitFor(() => finishedReplies(channel).length === 1, 30_000);

    // Slack asks for a reconnect; the app opens a new connection, and Slack delivers the event
    // again (it had not seen the ack in time), with a new envelope and a retry count.
    socket.disconnect();
    await socket.waitForConnections(2, 60_000);
    expect(slack.calls('apps.connections.open').length).toBeGreaterThanOrEqual(2);
    const again = socket.deliver('events_api', payload, { retryAttempt: 1, retryReason: 'timeout' });
    expect(await socket.waitForAck(again)).toMatchObject({ envelope_id: again });

    // A next DM in the same conversation is answered after anything the redelivery could have
    // caused (a conversation is answered in order): two replies in all.
    const next = socket.deliver(
      'events_api',
      eventCallback(dmEvent({ user, channel, text: 'ありがとう', ts: slackTs() }), eventId()),
    );
    await socket.waitForAck(next);
    await waitFor(() => finishedReplies(channel).length >= 2, 30_000);
    expect(slack.messages(channel)).toHaveLength(2);
    expect(finishedReplies(channel)).toHaveLength(2);
    const stored = (await storedUserMessages(db.pool)).filter((m) => m.streamId.includes(channel));
    expect(stored).toHaveLength(2);
    // The HTTP endpoints are off in this mode, and say so.
    expect((await fetch(`${app.baseUrl}/api/v1/slack/events`, { method: 'POST', body: '{}' })).status).toBe(
      503,
    );
  }, 180_000);
});
