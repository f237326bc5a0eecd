import { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { HttpReceiver } from '../../slack-edge/http/receiver.ts';
import { slackRoutes } from '../../slack-edge/http/routes.ts';
import { answerCommand } from '../../slack-edge/listeners/commands/answer.ts';
import { slackLogger } from '../../slack-edge/web/logger.ts';
import { eventCallback } from './helpers/payloads.ts';
import { formInit, jsonInit, testSigningSecret } from './helpers/signed.ts';

/**
 * A promise the test opens by hand. A listener that waits on a gate opened only after the
 * response arrived proves the response did not wait for the listener: if it did, the test would
 * never get its response (no clock involved).
 */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/** Longer than any test may run: an answer that waited for it would never come. */
const never = 3_600_000;

/** A Bolt app on our receiver, with no network at all (authorize answers from memory). */
const setup = (register: (app: App) => void, ackDeadlineMs = 300) => {
  const receiver = new HttpReceiver({
    signingSecret: testSigningSecret,
    logger: silentLogger,
    ackDeadlineMs,
  });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-test', botUserId: 'UBOT', botId: 'BBOT' }),
    logger: slackLogger(silentLogger),
    convoStore: false,
  });
  app.error(async (error) => {
    throw error;
  });
  register(app);
  const routes = slackRoutes((endpoint, request) => receiver.handle(endpoint, request));
  const request = (path: string, init: RequestInit) =>
    routes.app.request(`http://localhost/api/v1/slack/${path}`, init);
  return { request };
};

const command = (name: string) =>
  formInit({
    command: name,
    team_id: 'T1',
    user_id: 'U1',
    channel_id: 'C1',
    text: '',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
  });

describe('the HTTP receiver for Bolt', () => {
  it('answers a command with what its listener acked', async () => {
    const afterAck = gate();
    let finished = false;
    const { request } = setup((app) => {
      app.command('/hello', async ({ ack }) => {
        await ack({ response_type: 'ephemeral', text: 'hi' });
        await afterAck.opened; // work after the ack does not hold the answer
        finished = true;
      });
    }, never);
    const res = await request('commands', command('/hello'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: 'hi' });
    expect(finished).toBe(false);
    afterAck.open();
  });

  it('answers 200 at the deadline when a listener never acks, and at once when no listener matches', async () => {
    const release = gate();
    let acked = false;
    const { request } = setup((app) => {
      app.command('/slow', async ({ ack }) => {
        await release.opened;
        await ack();
        acked = true;
      });
    });
    const slow = await request('commands', command('/slow'));
    expect(slow.status).toBe(200);
    expect(acked).toBe(false);
    release.open();
    // No listener: answered without waiting for a deadline that would outlast the test.
    const { request: patient } = setup(() => {}, never);
    const unknown = await patient('commands', command('/nobody'));
    expect(unknown.status).toBe(200);
  });

  it('answers an event once its listener has finished; a failing listener gets 500 so Slack retries', async () => {
    let recorded = 0;
    const { request } = setup((app) => {
      app.event('app_mention', async ({ event }) => {
        if (event.text.includes('boom')) throw new Error('database down');
        await new Promise((resolve) => setImmediate(resolve));
        recorded++;
      });
    });
    const ok = await request(
      'events',
      jsonInit(eventCallback({ type: 'app_mention', user: 'U1', text: 'hi', ts: '1.000001', channel: 'C1' })),
    );
    expect(ok.status).toBe(200);
    expect(recorded).toBe(1);
    const failed = await request(
      'events',
      jsonInit(
        eventCallback({ type: 'app_mention', user: 'U1', text: 'boom', ts: '1.000002', channel: 'C1' }),
      ),
    );
    expect(failed.status).toBe(500);
  });

  it('answers 503 at the deadline when an event is still being recorded (Slack retries it; never a 200 before it is stored)', async () => {
    const release = gate();
    let done = false;
    const { request } = setup((app) => {
      app.event('app_mention', async () => {
        await release.opened;
        done = true;
      });
    });
    const res = await request(
      'events',
      jsonInit(eventCallback({ type: 'app_mention', user: 'U1', text: 'x', ts: '1.000003', channel: 'C1' })),
    );
    expect(res.status).toBe(503);
    expect(done).toBe(false);
    release.open();
  });

  it('passes the retry number of a Slack retry to the listeners', async () => {
    const seen: unknown[] = [];
    const { request } = setup((app) => {
      app.event('app_mention', async ({ context }) => {
        seen.push(context.retryNum);
      });
    });
    await request(
      'events',
      jsonInit(eventCallback({ type: 'app_mention', user: 'U1', text: 'x', ts: '1.000004', channel: 'C1' }), {
        retryNum: 2,
      }),
    );
    expect(seen).toEqual([2]);
  });
});

describe('answering a slash command within 3 seconds', () => {
  it('answers in the acknowledgement when the work is quick', async () => {
    const acks: unknown[] = [];
    const responds: unknown[] = [];
    await answerCommand({
      ack: async (r) => void acks.push(r),
      respond: async (r) => {
        responds.push(r);
        return new Response();
      },
      work: async () => ({ text: 'done' }),
      interim: 'working…',
      failure: 'sorry',
      inlineMs: never,
      logger: silentLogger,
    });
    expect(acks).toEqual([{ response_type: 'ephemeral', text: 'done' }]);
    expect(responds).toEqual([]);
  });

  it('acknowledges at once with an interim line and sends slow answers (or the failure) through response_url', async () => {
    const acks: unknown[] = [];
    const responds: unknown[] = [];
    // The work finishes only once the interim line was acknowledged: slow by construction.
    let interimShown = gate();
    const options = {
      ack: async (r?: unknown) => {
        acks.push(r);
        interimShown.open();
      },
      respond: async (r: unknown) => {
        responds.push(r);
        return new Response();
      },
      interim: 'working…',
      failure: 'sorry',
      inlineMs: 1,
      logger: silentLogger,
    };
    await answerCommand({
      ...options,
      work: async () => {
        await interimShown.opened;
        return { text: 'late answer' };
      },
    });
    interimShown = gate();
    await answerCommand({
      ...options,
      work: async () => {
        await interimShown.opened;
        throw new Error('x');
      },
    });
    expect(acks).toEqual([
      { response_type: 'ephemeral', text: 'working…' },
      { response_type: 'ephemeral', text: 'working…' },
    ]);
    expect(responds).toEqual([
      { response_type: 'ephemeral', text: 'late answer', replace_original: true },
      { response_type: 'ephemeral', text: 'sorry', replace_original: true },
    ]);
  });
});
