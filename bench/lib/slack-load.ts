/**
 * The load generator of the Slack benches, run as a process of its own (`node bench/lib/slack-load.ts
 * '<json>'`) so that the server measured shares nothing with it. It sends signed Events API
 * requests and prints one JSON line with the latencies it measured.
 *
 * - `burst`: `rate` DMs a second for `seconds`, from `reps` reps in their own DMs, each sent on
 *   schedule whether or not earlier ones were answered (open loop); beside them, at the same rate
 *   in the same window, a bare route of the same server (the baseline).
 * - `sequential`: one rep's DM, messages `from`..`to` one after another, each after the previous
 *   ack; message n is sent `minutesOf(n)` after `baseSeconds` (sessions separated by pauses).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandFields, dmEvent, eventCallback } from '../../test/slack/helpers/payloads.ts';
import { formInit, jsonInit } from '../../test/slack/helpers/signed.ts';

export type BurstLoad = {
  mode: 'burst';
  url: string;
  rate: number;
  seconds: number;
  reps: number;
  runId: string;
  /** `/ai_knowledge` commands a second beside the DMs (0: none), each timed until its answer is shown. */
  commandRate?: number;
};

export type SequentialLoad = {
  mode: 'sequential';
  url: string;
  user: string;
  channel: string;
  from: number;
  to: number;
  /** Message n is sent at baseSeconds + secondsOf(n): `perSession` messages 30 s apart, then an hour's pause. */
  baseSeconds: number;
  perSession: number;
  /**
   * After each ack, wait (untimed) until the agent and the projectors have nothing left to do, as
   * a rep who reads the answer before writing again: each ack then measures recording on an
   * otherwise quiet system.
   */
  settle: boolean;
};

export type LoadResult = {
  acks: number[];
  bare: number[];
  /** DM requests answered other than 200 (or not at all), by status (0: no answer). */
  failed: number;
  /** Bare-route requests answered other than 200. */
  bareFailed: number;
  statuses: Record<string, number>;
  startedAt: number;
  endedAt: number;
  /** `/ai_knowledge` until its results were shown: in the ack itself, or later through response_url. */
  commands?: { latencies: number[]; inline: number; deferred: number; failed: number };
};

const texts = [
  '価格が高いと言われました。',
  '初回訪問で聞くべきことは？',
  '決裁者に会えません。',
  'How do I follow up after a demo?',
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const statuses: Record<string, number> = {};

const timed = async (url: string, init: RequestInit): Promise<number | null> => {
  const t0 = performance.now();
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    if (res.status === 200) return performance.now() - t0;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    return null;
  } catch {
    statuses[0] = (statuses[0] ?? 0) + 1;
    return null;
  }
};

/** Requests on schedule at `rate` a second; the latencies of those answered 200. */
const openLoop = async (
  rate: number,
  seconds: number,
  offsetMs: number,
  send: (i: number) => Promise<number | null>,
  failed: () => void,
): Promise<number[]> => {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now() + offsetMs;
  for (let i = 0; i < rate * seconds; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(send(i).then((ms) => (ms === null ? failed() : void latencies.push(ms))));
  }
  await Promise.all(inFlight);
  return latencies;
};

const keywords = ['価格 反論', '初回訪問 ヒアリング', '決裁者', 'follow up demo', 'closing', '競合 比較'];

/**
 * `/ai_knowledge` at `rate` a second, each timed until its results are shown: the ack when it
 * carries them, else the POST to its response_url (a server of this process), replacing the
 * interim line.
 */
const knowledgeCommands = async (load: BurstLoad, rate: number) => {
  const waiting = new Map<string, (at: number) => void>();
  const responder = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      waiting.get(req.url ?? '')?.(performance.now());
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => responder.listen(0, '127.0.0.1', resolve));
  const port = (responder.address() as AddressInfo).port;
  let inline = 0;
  let deferred = 0;
  let failed = 0;
  const send = async (i: number): Promise<number | null> => {
    const path = `/respond/${i}`;
    const responded = new Promise<number>((resolve) => waiting.set(path, resolve));
    const t0 = performance.now();
    const init = formInit(
      commandFields({
        command: '/ai_knowledge',
        text: keywords[i % keywords.length]!,
        user: `U${load.runId}${String(i % load.reps).padStart(4, '0')}`,
        responseUrl: `http://127.0.0.1:${port}${path}`,
      }),
    );
    try {
      const res = await fetch(`${load.url}/api/v1/slack/commands`, init);
      const body = (await res.json().catch(() => null)) as { blocks?: unknown[] } | null;
      if (res.status !== 200) return null;
      if (body?.blocks) {
        inline++;
        return performance.now() - t0;
      }
      const at = await Promise.race([responded, sleep(30_000).then(() => null)]);
      if (at === null) return null;
      deferred++;
      return at - t0;
    } catch {
      return null;
    } finally {
      waiting.delete(path);
    }
  };
  const latencies = await openLoop(rate, load.seconds, 250 / rate, send, () => failed++);
  responder.close();
  return { latencies, inline, deferred, failed };
};

const burst = async (load: BurstLoad): Promise<LoadResult> => {
  let failed = 0;
  let bareFailed = 0;
  const startedAt = Date.now();
  const rep = (i: number) => i % load.reps;
  const [acks, bare, commands] = await Promise.all([
    openLoop(
      load.rate,
      load.seconds,
      0,
      (i) =>
        timed(
          `${load.url}/api/v1/slack/events`,
          jsonInit(
            eventCallback(
              dmEvent({
                user: `U${load.runId}${String(rep(i)).padStart(4, '0')}`,
                channel: `D${load.runId}${String(rep(i)).padStart(4, '0')}`,
                text: texts[i % texts.length]!,
              }),
            ),
          ),
        ),
      () => failed++,
    ),
    openLoop(
      load.rate,
      load.seconds,
      500 / load.rate,
      () => timed(`${load.url}/api/v1/health`, {}),
      () => bareFailed++,
    ),
    load.commandRate ? knowledgeCommands(load, load.commandRate) : Promise.resolve(undefined),
  ]);
  return {
    acks,
    bare,
    failed,
    bareFailed,
    statuses,
    startedAt,
    endedAt: Date.now(),
    ...(commands ? { commands } : {}),
  };
};

type Detailed = { components?: Record<string, { info?: { backlogEvents?: number; lagEvents?: number } }> };

/** Until the detailed health says the agent and every projection have nothing left to do. */
const systemIdle = async (url: string) => {
  for (let i = 0; i < 3000; i++) {
    const res = await fetch(`${url}/api/v1/health/detailed`).catch(() => null);
    const components = res ? ((await res.json()) as Detailed).components : undefined;
    const idle =
      components?.agent?.info?.backlogEvents === 0 &&
      Object.entries(components)
        .filter(([name]) => name.startsWith('projection:'))
        .every(([, c]) => c.info?.lagEvents === 0);
    if (idle) return;
    await sleep(50);
  }
  throw new Error('the agent and the projections did not catch up within minutes');
};

export const secondsOf = (n: number, perSession: number) =>
  Math.floor(n / perSession) * 3600 + (n % perSession) * 30;

const sequential = async (load: SequentialLoad): Promise<LoadResult> => {
  let failed = 0;
  const acks: number[] = [];
  const startedAt = Date.now();
  for (let n = load.from; n <= load.to; n++) {
    const ts = `${load.baseSeconds + secondsOf(n, load.perSession)}.${String(n % 1_000_000).padStart(6, '0')}`;
    const ms = await timed(
      `${load.url}/api/v1/slack/events`,
      jsonInit(
        eventCallback(
          dmEvent({ user: load.user, channel: load.channel, text: texts[n % texts.length]!, ts }),
        ),
      ),
    );
    if (ms === null) failed++;
    else acks.push(ms);
    if (load.settle) await systemIdle(load.url);
  }
  return { acks, bare: [], failed, bareFailed: 0, statuses, startedAt, endedAt: Date.now() };
};

if (import.meta.main) {
  const load = JSON.parse(process.argv[2]!) as BurstLoad | SequentialLoad;
  const result = load.mode === 'burst' ? await burst(load) : await sequential(load);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
