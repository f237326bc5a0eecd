import { dmEvent, eventCallback, mentionEvent, slackTs } from '../slack/helpers/payloads.ts';
import { jsonInit } from '../slack/helpers/signed.ts';
import type { Prng } from './prng.ts';

/** One message a user sent, as Slack delivered it to the app (attempts and their outcomes). */
export type SentMessage = {
  kind: 'dm' | 'mention';
  channel: string;
  user: string;
  /** The message's Slack ts: the message id the app stores. */
  ts: string;
  eventId: string;
  /** Per attempt: the HTTP status, or `error` (no answer: connection refused or reset) or `timeout`. */
  outcomes: (number | 'error' | 'timeout')[];
  /** An attempt got a 200: Slack considers it delivered. */
  acknowledged: boolean;
  /** Every attempt failed: Slack gave up on it. */
  gaveUp: boolean;
};

export type SlackLoadOptions = {
  /** Where the app listens now (the Events API URL). */
  eventsUrl: () => string;
  prng: Prng;
  /** Reps sending DMs, each in their own DM channel. */
  reps: number;
  /** Channels where reps mention the bot; each mention starts a thread. */
  mentionChannels: number;
  /** Pause between two messages of one rep (ms, drawn from the PRNG). */
  pauseMs: [number, number];
  /** Share of messages that are mentions. */
  mentionShare: number;
  /** Slack's retry schedule (compressed): the pause before retry n (X-Slack-Retry-Num n). */
  retryDelaysMs?: number[];
  /** Slack waits this long for an answer before it counts the attempt as failed. */
  ackTimeoutMs?: number;
  texts?: readonly string[];
};

const defaultTexts = [
  '価格が高いと言われました。どう返せばいいですか？',
  '決裁者に会うにはどうすればいいですか？',
  '競合の方が安いと言われました',
  '初回訪問で聞くべきことは？',
  'How do I follow up after a demo?',
  '予算が決まっていない場合はどうしますか？',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Users writing to the app through Slack, modelled the way Slack delivers events: each event is
 * signed and POSTed; an attempt without a 200 within the ack timeout (an error status, a refused
 * or reset connection, no answer) is retried with `X-Slack-Retry-Num` and the same event id, up
 * to as many times as Slack does (3), then given up.
 */
export const startSlackLoad = (options: SlackLoadOptions) => {
  const { prng } = options;
  const retryDelays = options.retryDelaysMs ?? [1000, 4000, 10_000];
  const ackTimeoutMs = options.ackTimeoutMs ?? 3000;
  const texts = options.texts ?? defaultTexts;
  const messages: SentMessage[] = [];
  const deliveries = new Set<Promise<void>>();
  let inFlight = 0;
  let running = true;

  const attempt = async (message: SentMessage, payload: unknown, retryNum: number) => {
    inFlight++;
    try {
      const res = await fetch(options.eventsUrl(), {
        ...jsonInit(payload, retryNum > 0 ? { retryNum } : {}),
        signal: AbortSignal.timeout(ackTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      message.outcomes.push(res.status);
      return res.status === 200;
    } catch (error) {
      message.outcomes.push((error as Error).name === 'TimeoutError' ? 'timeout' : 'error');
      return false;
    } finally {
      inFlight--;
    }
  };

  const deliver = async (message: SentMessage, payload: unknown) => {
    for (let retryNum = 0; ; retryNum++) {
      if (await attempt(message, payload, retryNum)) {
        message.acknowledged = true;
        return;
      }
      const delay = retryDelays[retryNum];
      if (delay === undefined) {
        message.gaveUp = true;
        return;
      }
      await sleep(delay);
    }
  };

  const send = (kind: SentMessage['kind'], user: string, channel: string) => {
    const ts = slackTs();
    const text = prng.pick(texts);
    const event =
      kind === 'dm' ? dmEvent({ user, channel, text, ts }) : mentionEvent({ user, channel, text, ts });
    const eventId = `Ev${prng.hex(6).toUpperCase()}`;
    const message: SentMessage = {
      kind,
      channel,
      user,
      ts,
      eventId,
      outcomes: [],
      acknowledged: false,
      gaveUp: false,
    };
    messages.push(message);
    const delivery = deliver(message, eventCallback(event, eventId));
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  };

  const id = () => prng.hex(4).toUpperCase();
  const mentionChannels = Array.from({ length: options.mentionChannels }, () => `C${id()}`);
  const rep = async (n: number) => {
    const user = `U${id()}`;
    const dm = `D${id()}`;
    await sleep(prng.int(0, options.pauseMs[1]));
    while (running) {
      const mention = mentionChannels.length > 0 && prng.chance(options.mentionShare);
      if (mention) send('mention', user, mentionChannels[(n + prng.int(0, 99)) % mentionChannels.length]!);
      else send('dm', user, dm);
      await sleep(prng.int(options.pauseMs[0], options.pauseMs[1]));
    }
  };
  const reps = Array.from({ length: options.reps }, (_, n) => rep(n));

  return {
    messages,
    /** Requests sent and not answered yet. */
    inFlight: () => inFlight,
    /** Stops sending new messages and waits for Slack to finish its retries. */
    stop: async () => {
      running = false;
      await Promise.all(reps);
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
  };
};
