import { randomBytes } from 'node:crypto';
import { readAgentBacklog } from '../ops/runtime/agent/backlog.ts';
import { createPostgresEventStore } from '../write/event-store/postgres/store.ts';
import { percentile, runLoad, startBenchServer, waitForReplies } from './lib/bench-server.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Suite } from './lib/report.ts';

/**
 * What users see under a burst, with everything running: `salesai serve` as `npm start` runs it
 * (HTTP, projectors and the agent with the mock coach, one process), Slack on the local Web API
 * stub, and the load from a process of its own:
 * - ack latency of signed DM events at `rate` a second for `seconds` from `reps` reps, beside a
 *   bare route of the same server (GET /api/v1/health) at the same rate in the same window;
 * - the time from the end of the burst until every message of it has its reply shown (the
 *   placeholder's final chat.update, counted at the stub).
 * - `/ai_knowledge` at `commandRate` a second in the same window (default 10/s), each timed until
 *   its results are shown (in the ack, or through response_url when the search took longer than
 *   the inline limit), against the same bare route.
 * BENCH_SLACK_RATE, BENCH_SLACK_SECONDS, BENCH_SLACK_REPS and BENCH_SLACK_COMMAND_RATE change the
 * load; the default is the full one (100/s for 30 s from 500 reps, 10 commands/s);
 * `BENCH_SLACK_SECONDS=10` is a shorter run.
 */
export const slackBench = async (): Promise<Suite> => {
  const rate = Number(process.env.BENCH_SLACK_RATE ?? 100);
  const seconds = Number(process.env.BENCH_SLACK_SECONDS ?? 30);
  const reps = Number(process.env.BENCH_SLACK_REPS ?? 500);
  const commandRate = Number(process.env.BENCH_SLACK_COMMAND_RATE ?? 10);
  const replyLimitMs = 10 * 60_000;
  const db = await openBenchDatabase(4);
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  const bench = await startBenchServer(db);
  const url = bench.server.baseUrl;
  try {
    // Warm-up: connections, JIT, the first queries, the agent's first replies.
    const warm = await runLoad({ mode: 'burst', url, rate: 10, seconds: 3, reps: 10, runId: 'WARM' });
    if ((await waitForReplies(bench.stub, warm.acks.length, 120_000)) === null)
      throw new Error('the warm-up messages got no replies within 2 minutes');
    const repliesBefore = bench.stub.calls('chat.update').length;

    process.stdout.write(
      `  ${rate} signed DMs/s and ${commandRate} /ai_knowledge/s for ${seconds} s from ${reps} reps (load from its own process), a bare route beside them…\n`,
    );
    const runId = randomBytes(2).toString('hex').toUpperCase();
    const load = await runLoad({ mode: 'burst', url, rate, seconds, reps, runId, commandRate });
    const backlogAtEnd = await readAgentBacklog(db.pool, store);
    process.stdout.write(
      `  burst over: ${load.acks.length} recorded, agent backlog ${backlogAtEnd.events} events (${backlogAtEnd.lagSeconds}s); waiting for every reply…\n`,
    );
    const lastReply = await waitForReplies(bench.stub, repliesBefore + load.acks.length, replyLimitMs);
    const shown = bench.stub.calls('chat.update').length - repliesBefore;
    const replyMs = lastReply === null ? Number.NaN : lastReply - load.endedAt;

    if (load.failed > 0) {
      // What the server said about the requests it failed: a few distinct error lines.
      const errors = new Set(
        bench.server
          .output()
          .split('\n')
          .filter((l) => /"level":"(error|fatal)"/.test(l))
          .map((l) => l.slice(0, 400)),
      );
      process.stdout.write(
        `  server errors:\n${[...errors]
          .slice(0, 5)
          .map((e) => `    ${e}\n`)
          .join('')}`,
      );
    }
    const ackP50 = percentile(load.acks, 50);
    const ackP99 = percentile(load.acks, 99);
    const ackMax = Math.max(...load.acks);
    const bareP50 = percentile(load.bare, 50);
    const bareP99 = percentile(load.bare, 99);
    const full = rate >= 100 && seconds >= 30 && reps >= 500;
    const commands = load.commands ?? { latencies: [], inline: 0, deferred: 0, failed: 0 };
    const commandP50 = percentile(commands.latencies, 50);
    const commandP99 = percentile(commands.latencies, 99);
    return {
      suite: 'slack (whole system, load from another process)',
      environment: {
        database: db.source,
        shape: 'salesai serve (HTTP thread + background thread for projectors and agent)',
        rate: `${rate}/s`,
        seconds,
        reps,
        events: load.acks.length,
        failed: load.failed,
        'bare failed': load.bareFailed,
        'failed by status': JSON.stringify(load.statuses),
        '/ai_knowledge': `${commandRate}/s: ${commands.inline} answered in the ack, ${commands.deferred} through response_url, ${commands.failed} failed`,
        llm: 'mock',
        load: full ? 'full (targets apply)' : 'reduced (targets are for 100/s, 30 s, 500 reps)',
      },
      figures: [
        { name: 'bare route, same server, same window: p50 (baseline)', value: bareP50, unit: 'ms' },
        { name: 'bare route, same server, same window: p99 (baseline)', value: bareP99, unit: 'ms' },
        {
          name: 'signed DM acknowledged (recorded): p50',
          value: ackP50,
          unit: 'ms',
          baseline: { name: 'bare route p50', value: bareP50 },
          ratio: ackP50 / bareP50,
        },
        {
          name: 'signed DM acknowledged (recorded): p99',
          value: ackP99,
          unit: 'ms',
          baseline: { name: 'bare route p99', value: bareP99 },
          ratio: ackP99 / bareP99,
          target: 'p99 ≤ 250 ms',
          met: ackP99 <= 250 && load.failed === 0,
        },
        {
          name: 'signed DM acknowledged (recorded): max',
          value: ackMax,
          unit: 'ms',
          target: 'no ack over 2.5 s',
          met: ackMax <= 2500,
        },
        // Without commands (BENCH_SLACK_COMMAND_RATE=0) there is nothing to report for them.
        ...(commandRate > 0
          ? [
              {
                name: '/ai_knowledge results shown, during the burst: p50',
                value: commandP50,
                unit: 'ms',
                baseline: { name: 'bare route p50', value: bareP50 },
                ratio: commandP50 / bareP50,
              },
              {
                name: '/ai_knowledge results shown, during the burst: p99',
                value: commandP99,
                unit: 'ms',
                baseline: { name: 'bare route p99', value: bareP99 },
                ratio: commandP99 / bareP99,
                target: "p99 within Slack's 3 s, none failed",
                met: commandP99 <= 3000 && commands.failed === 0,
              },
            ]
          : []),
        {
          name: `every reply of the burst shown (${shown}/${load.acks.length}), after its end`,
          value: replyMs / 1000,
          unit: 's',
          baseline: { name: 'burst length', value: seconds },
          ratio: replyMs / 1000 / seconds,
          target: 'within 3 min',
          met: shown >= load.acks.length && replyMs <= 180_000,
        },
      ],
    };
  } finally {
    await bench.close();
    await store.close();
    await db.drop();
  }
};
