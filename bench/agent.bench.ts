import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningProcess, startServe } from '../test/helpers/process.ts';
import { dmChannel, dmEvent, eventCallback, userId } from '../test/slack/helpers/payloads.ts';
import { jsonInit, testSigningSecret } from '../test/slack/helpers/signed.ts';
import { startOpenAiStub } from '../test/stubs/openai-stub.ts';
import { startSlackStub } from '../test/stubs/slack-api.ts';
import { type BenchDatabase, openBenchDatabase } from './lib/database.ts';
import type { Figure, Suite } from './lib/report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const partitions = 16;

/** What the model answers: 2 s to the first token, then ten deltas 50 ms apart. */
const modelAnswer = Array.from({ length: 10 }, (_, i) => `提案${i + 1}: 顧客の課題を先に確認しましょう。`);

type Outcome = {
  label: string;
  processes: number;
  concurrency: number;
  /** From the burst's first request to the first and the last reply shown (final chat.update). */
  firstShownMs: number;
  lastShownMs: number;
  ackMs: number;
  refused: number;
  peakInFlight: number;
};

/** Waits until `processes` processes hold all the agent's partitions between them. */
const waitForOwners = async (db: BenchDatabase, processes: number) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await db.pool.query<{ owners: number; held: number }>(
      `SELECT count(DISTINCT pid)::int AS owners, count(*)::int AS held FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND objid::bigint IN (
            SELECT (hashtext($1 || ':agent:agent:partition:' || p || '/' || $2)::bigint + 4294967296) % 4294967296
              FROM generate_series(0, $2::int - 1) AS p)`,
      [db.schema, partitions],
    );
    if (rows[0]!.owners === processes && rows[0]!.held === partitions) return;
    if (Date.now() > deadline)
      throw new Error(`the agent partitions were not shared by ${processes} processes`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Runs the load generator in its own process; resolves with what it reports. */
const burst = (url: string, dms: { user: string; channel: string; text: string }[]) =>
  new Promise<{ startedAt: number; acknowledgedAt: number; refused: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'agent-load.ts'), JSON.stringify({ url, dms })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}`)),
    );
  });

const runScenario = async (
  label: string,
  processes: number,
  concurrency: number,
  reps: number,
): Promise<Outcome> => {
  process.stdout.write(`  ${label}: starting…\n`);
  const db = await openBenchDatabase(4);
  const slack = await startSlackStub();
  const llm = await startOpenAiStub();
  llm.setDefault({ kind: 'answer', chunks: modelAnswer, firstTokenMs: 2000, chunkMs: 50 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-bench-agent-'));
  const running: RunningProcess[] = [];
  try {
    const env = {
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      DATABASE_POOL_SIZE: '16',
      DATABASE_MAX_OVERFLOW: '0',
      DATA_DIR: dataDir,
      SECRET_KEY: 'b'.repeat(64),
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: slack.apiUrl,
      USE_MOCK_LLM: 'false',
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: `${llm.url}/v1`,
      INSIGHTS_MODE: 'session_end',
      AGENT_CONCURRENCY: String(concurrency),
      AGENT_PARTITIONS: String(partitions),
      LOG_LEVEL: 'warn',
    };
    running.push(await startServe(env, ['--role', 'all'], 120_000));
    for (let i = 1; i < processes; i++) running.push(await startServe(env, ['--role', 'projector'], 120_000));
    await waitForOwners(db, processes);
    const events = `${running[0]!.baseUrl}/api/v1/slack/events`;

    // Warm-up: one DM answered end to end (connections, the knowledge base, JIT).
    const warm = { user: userId(), channel: dmChannel(), text: '初回訪問で聞くべきことは？' };
    await fetch(events, jsonInit(eventCallback(dmEvent(warm))));
    await slack.waitFor('chat.update', (c) => c.body.channel === warm.channel, { timeoutMs: 60_000 });

    const dms = Array.from({ length: reps }, (_, i) => ({
      user: userId(),
      channel: dmChannel(),
      text:
        i % 2
          ? '競合の方が安いと言われたら、どう答えればいいですか？'
          : '決裁者に会うにはどうすればいいですか？',
    }));
    const channels = new Set(dms.map((d) => d.channel));
    const load = await burst(events, dms);
    const shown = await slack.waitFor('chat.update', (c) => channels.has(String(c.body.channel)), {
      count: reps,
      timeoutMs: 300_000,
    });
    const firstPerChannel = new Map<string, number>();
    for (const call of shown) {
      const channel = String(call.body.channel);
      if (!firstPerChannel.has(channel)) firstPerChannel.set(channel, call.at);
    }
    const outcome: Outcome = {
      label,
      processes,
      concurrency,
      firstShownMs: Math.min(...firstPerChannel.values()) - load.startedAt,
      lastShownMs: Math.max(...firstPerChannel.values()) - load.startedAt,
      ackMs: load.acknowledgedAt - load.startedAt,
      refused: load.refused,
      peakInFlight: llm.inFlight().peak,
    };
    process.stdout.write(
      `    last of ${reps} replies shown after ${(outcome.lastShownMs / 1000).toFixed(1)} s; at most ${outcome.peakInFlight} LLM calls in flight\n`,
    );
    return outcome;
  } finally {
    for (const p of running.reverse()) await p.stop();
    await llm.close();
    await slack.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

/**
 * The agent at team scale: `reps` reps each send one DM at the same moment (signed Events API
 * requests from a separate process), the model takes 2 s to its first token and then streams
 * (the real OpenAI SDK against a local Chat Completions stub), replies are shown through the
 * local Slack Web API stub. Measured: the time until the last reply is shown, and the most LLM
 * calls in flight, for one process with the default AGENT_CONCURRENCY, and for one and two
 * processes with a lower per-process concurrency (so that one process is the bottleneck).
 */
export const agentBench = async (): Promise<Suite> => {
  const reps = Number(process.env.BENCH_AGENT_REPS ?? 200);
  const low = Number(process.env.BENCH_AGENT_CONCURRENCY ?? 16);
  process.stdout.write(`  ${reps} reps send a DM at once; the model answers after 2 s, then streams…\n`);
  const byDefault = await runScenario('one process, AGENT_CONCURRENCY=32', 1, 32, reps);
  const one = await runScenario(`one process, AGENT_CONCURRENCY=${low}`, 1, low, reps);
  const two = await runScenario(`two processes, AGENT_CONCURRENCY=${low} each`, 2, low, reps);
  // Replies per second while replies are being shown: the agent's rate, without the fixed cost
  // before the first one (recording the burst through one HTTP process, the model's first 2 s).
  const throughput = (o: Outcome) => (reps - 1) / ((o.lastShownMs - o.firstShownMs) / 1000);
  const endToEnd = (o: Outcome) => reps / (o.lastShownMs / 1000);
  const figures: Figure[] = [];
  for (const o of [byDefault, one, two]) {
    figures.push({
      name: `${o.label}: last reply shown after the burst`,
      value: o.lastShownMs / 1000,
      unit: 's',
      ...(o === byDefault ? { target: '≤ 30 s', met: o.lastShownMs <= 30_000 } : {}),
    });
    figures.push({ name: `${o.label}: most LLM calls in flight`, value: o.peakInFlight, unit: 'calls' });
    figures.push({ name: `${o.label}: burst acknowledged (all ${reps})`, value: o.ackMs, unit: 'ms' });
  }
  const ratio = throughput(two) / throughput(one);
  const endToEndRatio = endToEnd(two) / endToEnd(one);
  figures.push({
    name: 'two processes: replies per second from the burst to the last reply',
    value: endToEnd(two),
    unit: 'replies/s',
    baseline: { name: 'one process, same concurrency', value: endToEnd(one) },
    ratio: endToEndRatio,
  });
  figures.push({
    name: `two processes: replies shown per second (first to last reply)`,
    value: throughput(two),
    unit: 'replies/s',
    baseline: { name: 'one process, same concurrency', value: throughput(one) },
    ratio,
    target: '≥ 1.7× one process',
    met: ratio >= 1.7,
  });
  const refused = byDefault.refused + one.refused + two.refused;
  if (refused > 0) figures.push({ name: 'DM events refused (not 200)', value: refused, unit: 'requests' });
  return {
    suite: 'agent at team scale',
    environment: {
      reps,
      model: '2 s to first token, 10 deltas 50 ms apart (OpenAI SDK → local stub)',
      partitions,
      insights: 'session_end (replies only)',
      load: 'separate process, signed Events API',
    },
    figures,
  };
};
