import type pg from 'pg';
import { createPgCheckpointStore } from '../ops/runtime/agent/checkpoints.ts';
import type { Database } from '../ops/runtime/database.ts';
import { openCodec } from '../ops/runtime/keys/open-codec.ts';
import { projections } from '../projections/registry.ts';
import { projectionStatuses } from '../projections/runner/status.ts';
import type { CommandMetadata, DialogueCommand } from '../schemas/commands.ts';
import { parseEnv } from '../schemas/config.ts';
import { silentLogger } from '../schemas/logger.ts';
import { tsToIso } from '../slack-edge/text/slack-text.ts';
import { stubTeam } from '../test/stubs/slack-api.ts';
import { handleDialogueCommand } from '../write/dialogue/handle.ts';
import { conversationId } from '../write/dialogue/stream.ts';
import type { EventStore } from '../write/event-store/port.ts';
import { createPostgresEventStore } from '../write/event-store/postgres/store.ts';
import { benchSecretKey, percentile, runLoad, startBenchServer } from './lib/bench-server.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Suite } from './lib/report.ts';
import { secondsOf } from './lib/slack-load.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A rep's DM over a long time: ack latency of its 1st–100th messages and of its last hundred
 * (4,901st–5,000th by default), in the same run, on the whole system (`salesai serve`, load from
 * a process of its own). Messages come in sessions of 20, half a minute apart, an hour between
 * sessions (250 sessions for 5,000 messages); each is sent once the agent has answered the one
 * before (the rep reads the answer), so each ack measures recording on an otherwise quiet system.
 * Between the two windows the server is stopped and the conversation is prepared through the
 * write path (the command handler, each message with its reply, sealed as the server seals
 * them); the server is then started again, caught up, and warmed up. BENCH_CONVERSATION_MESSAGES
 * changes the length.
 */
export const conversationBench = async (): Promise<Suite> => {
  const total = Number(process.env.BENCH_CONVERSATION_MESSAGES ?? 5000);
  const window = 100;
  const perSession = 20;
  const db = await openBenchDatabase(8);
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  // The rep's messages are dated from tomorrow on: the agent's replies carry the wall clock, and a
  // DM's session ends 30 minutes after its last message (the rep's or the coach's), so the rep's
  // hour-long pauses must come after the replies to be pauses at all.
  const baseSeconds = Math.floor(Date.now() / 1000) + 86_400;
  const user = 'ULONGCONV1';
  const channel = 'DLONGCONV1';
  let bench = await startBenchServer(db);
  const load = (from: number, to: number, who = { user, channel }) =>
    runLoad({
      mode: 'sequential',
      url: bench.server.baseUrl,
      ...who,
      from,
      to,
      baseSeconds,
      perSession,
      settle: true,
    });
  const warmUp = (name: string) => load(0, 19, { user: `U${name}`, channel: `D${name}` });
  try {
    await warmUp('WARMFIRST');
    process.stdout.write(`  one rep's DM: messages 1–${window}, one after another…\n`);
    const first = await load(0, window - 1);
    await bench.close();

    process.stdout.write(`  preparing messages ${window + 1}–${total - window} through the write path…\n`);
    const env = parseEnv({ SECRET_KEY: benchSecretKey, LOG_LEVEL: 'silent' });
    const codec = await openCodec(env, { pool: db.pool } as Database, silentLogger);
    const writer = { store, codec, inactivityMs: env.SESSION_INACTIVITY_MINUTES * 60_000 };
    const conversation = {
      id: conversationId(stubTeam.id, channel, null),
      teamId: stubTeam.id,
      channelId: channel,
      channelKind: 'im' as const,
      threadTs: null,
    };
    const send = (command: DialogueCommand, key: string, now: string) => {
      const metadata: CommandMetadata = {
        idempotencyKey: key,
        correlationId: key,
        causationId: null,
        now,
        actor: { kind: 'user', id: user },
      };
      return handleDialogueCommand(writer, command, metadata);
    };
    const prepareStarted = performance.now();
    const prepared: number[] = [];
    for (let n = window; n < total - window; n++) {
      const ts = `${baseSeconds + secondsOf(n, perSession)}.${String(n % 1_000_000).padStart(6, '0')}`;
      const sentAt = tsToIso(ts);
      const t0 = performance.now();
      const recorded = await send(
        { type: 'ReceiveUserMessage', conversation, userId: user, messageId: ts, text: `質問 ${n}`, sentAt },
        `prepare:${n}`,
        sentAt,
      );
      prepared.push(performance.now() - t0);
      await send(
        {
          type: 'RecordAssistantReply',
          conversationId: conversation.id,
          sessionId: recorded.state.current!.id,
          replyTo: ts,
          text: `回答 ${n}`,
          citations: [],
        },
        `prepare:${n}:reply`,
        sentAt,
      );
    }
    const prepareSeconds = (performance.now() - prepareStarted) / 1000;
    // Answered already: the agent goes on from here; the projectors catch up before measuring.
    await createPgCheckpointStore(db.pool).save('agent', await store.headPosition());
    bench = await startBenchServer(db);
    await projectionsCaughtUp(db.pool, store);
    await warmUp('WARMLAST');

    process.stdout.write(`  the same DM: messages ${total - window + 1}–${total}, one after another…\n`);
    const last = await load(total - window, total - 1);

    const p50First = percentile(first.acks, 50);
    const p50Last = percentile(last.acks, 50);
    return {
      suite: 'long conversation (whole system, load from another process)',
      environment: {
        database: db.source,
        messages: total,
        sessions: Math.ceil(total / perSession),
        'prepared through the write path': `${total - 2 * window} messages with their replies in ${prepareSeconds.toFixed(0)} s`,
        failed: first.failed + last.failed,
        llm: 'mock',
      },
      figures: [
        { name: `ack of messages 1–${window}: p50 (baseline)`, value: p50First, unit: 'ms' },
        { name: `ack of messages 1–${window}: p95`, value: percentile(first.acks, 95), unit: 'ms' },
        {
          name: `ack of messages ${total - window + 1}–${total}: p50`,
          value: p50Last,
          unit: 'ms',
          baseline: { name: `messages 1–${window} p50`, value: p50First },
          ratio: p50Last / p50First,
          target: 'p50 ratio ≤ 1.5',
          met: p50Last / p50First <= 1.5 && first.failed + last.failed === 0,
        },
        {
          name: `ack of messages ${total - window + 1}–${total}: p95`,
          value: percentile(last.acks, 95),
          unit: 'ms',
        },
      ],
    };
  } finally {
    await bench.close().catch(() => {});
    await store.close();
    await db.drop();
  }
};

/** Until every projection has applied every event (a restarted server catches up first). */
const projectionsCaughtUp = async (pool: pg.Pool, store: EventStore) => {
  for (let i = 0; i < 6000; i++) {
    const statuses = await projectionStatuses(pool, store, projections);
    if (statuses.every((s) => s.lagEvents === 0)) return;
    await sleep(100);
  }
  throw new Error('the projections did not catch up within 10 minutes');
};
