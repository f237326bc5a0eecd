import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { sendDialogueCommand } from '../../write/agent/dialogue-commands.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import { type LlmStub, startOpenAiStub } from '../stubs/openai-stub.ts';

type AgentProcess = { process: RunningProcess; stub: LlmStub };

const conversations = 16;

const conversation = (c: number) => ({
  id: `T1:DK${c}:dm`,
  teamId: 'T1',
  channelId: `DK${c}`,
  channelKind: 'im' as const,
  threadTs: null,
});

/** Which message an LLM request answers: the marker in the latest user message. */
const markerOf = (body: Record<string, unknown>) => {
  const messages = body.messages as { role: string; content: string }[] | undefined;
  const last = messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return /Q\d+-\d+/.exec(last)?.[0] ?? null;
};

/**
 * Several `serve --role projector` processes share the agent's work over one Postgres store,
 * each with an OpenAI SDK pointed at a Chat Completions stub of its own (so the test knows who
 * was asked what). One is SIGKILLed while its model calls are in flight, another joins later:
 * every rep message still gets exactly one reply, in order within its conversation.
 */
describe('agent processes sharing the work, one SIGKILLed mid-answer', () => {
  let db: TestDatabase;
  let store: EventStore;
  let dataDir: string;
  const processes: AgentProcess[] = [];

  const startAgentProcess = async (): Promise<AgentProcess> => {
    const stub = await startOpenAiStub();
    stub.setDefault({
      kind: 'answer',
      text: '提案の前に課題を確認しましょう。',
      firstTokenMs: 700,
      chunkMs: 30,
    });
    const running = await startServe(
      {
        DATABASE_URL: db.url,
        DATABASE_SCHEMA: db.schema,
        DATABASE_POOL_SIZE: '6',
        DATABASE_MAX_OVERFLOW: '0',
        DATA_DIR: dataDir,
        SECRET_KEY: 'k'.repeat(64),
        USE_MOCK_LLM: 'false',
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${stub.url}/v1`,
        INSIGHTS_MODE: 'session_end',
        AGENT_PARTITIONS: '8',
        AGENT_CONCURRENCY: '4',
        AGENT_REP_MESSAGES_PER_MINUTE: '0',
      },
      ['--role', 'projector'],
    );
    const started = { process: running, stub };
    processes.push(started);
    return started;
  };

  /** Processes holding at least one agent partition of this schema (-1: Postgres did not answer). */
  const owners = async () => {
    const { rows } = await db.pool
      .query<{ n: number }>(
        `SELECT count(DISTINCT pid)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND objid::bigint IN (SELECT (hashtext($1 || ':agent:agent:partition:' || p || '/8')::bigint + 4294967296) % 4294967296
                                  FROM generate_series(0, 7) AS p)`,
        [db.schema],
      )
      .catch(() => ({ rows: [{ n: -1 }] }));
    return rows[0]?.n ?? 0;
  };

  const say = (c: number, m: number) =>
    sendDialogueCommand(
      { store, codec: plainCodec, inactivityMs: 30 * 60_000 },
      {
        type: 'ReceiveUserMessage',
        conversation: conversation(c),
        userId: `UK${c}`,
        messageId: `17000000${c}.${m}`,
        text: `Q${c}-${m}: 価格が高いと言われたら、どう答えればいいですか？`,
        sentAt: new Date().toISOString(),
      },
      {
        idempotencyKey: `k-${c}-${m}`,
        correlationId: `k-${c}-${m}`,
        causationId: null,
        now: new Date().toISOString(),
        actor: { kind: 'user', id: `UK${c}` },
      },
    );

  beforeAll(async () => {
    db = await createTestDatabase({ max: 6 });
    store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
      logger: silentLogger,
    });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-scale-'));
  });
  afterAll(async () => {
    for (const p of processes) {
      await p.process.stop();
      await p.stub.close();
    }
    await store.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers every message exactly once, in order, through a kill and a join', async () => {
    const a = await startAgentProcess();
    const b = await startAgentProcess();
    await waitFor(async () => (await owners()) === 2, 30_000, 100);

    // The burst: three messages in each conversation, back to back.
    for (let m = 1; m <= 3; m++) for (let c = 0; c < conversations; c++) await say(c, m);

    // Kill A while it is waiting for its model.
    await waitFor(() => a.stub.inFlight().now >= 2, 30_000, 10);
    const interrupted = a.stub.requests.map((r) => markerOf(r.body)).filter((m) => m !== null);
    expect(await a.process.stop('SIGKILL')).toBeNull();

    // A newcomer joins and takes a share; then more messages come.
    const c = await startAgentProcess();
    await waitFor(
      async () => (await owners()) === 2 && c.stub.requests.length + b.stub.requests.length > 0,
      30_000,
    );
    for (let i = 0; i < conversations; i++) await say(i, 4);

    const userMessages = conversations * 4;
    await waitFor(
      async () => {
        // A shared Postgres short of connections for a moment is asked again at the next poll.
        const { rows } = await db.pool
          .query<{ n: number }>(
            `SELECT count(DISTINCT data->>'replyTo')::int AS n FROM es_events
              WHERE type = 'MessageReceived' AND data->>'role' = 'assistant'`,
          )
          .catch(() => ({ rows: [{ n: -1 }] }));
        return rows[0]!.n === userMessages;
      },
      120_000,
      250,
    ).catch(async (error: Error) => {
      const { rows: missing } = await db.pool.query(
        `SELECT u.stream_id, u.data->>'messageId' AS id, u.global_position, u.transaction_id::text FROM es_events u
          WHERE u.type = 'MessageReceived' AND u.data->>'role' = 'user'
            AND NOT EXISTS (SELECT 1 FROM es_events r WHERE r.type = 'MessageReceived' AND r.data->>'replyTo' = u.data->>'messageId')`,
      );
      const { rows: checkpoints } = await db.pool.query(
        'SELECT name, commit_position::text, prepare_position::text FROM agent_checkpoints ORDER BY name',
      );
      throw new Error(
        `${error.message}\nunanswered: ${JSON.stringify(missing)}\ncheckpoints: ${JSON.stringify(checkpoints)}` +
          `\nB:\n${b.process.output().slice(-2000)}\nC:\n${c.process.output().slice(-2000)}`,
      );
    });

    // Exactly one reply per message.
    const { rows: counts } = await db.pool.query<{ reply_to: string; n: number }>(
      `SELECT data->>'replyTo' AS reply_to, count(*)::int AS n FROM es_events
        WHERE type = 'MessageReceived' AND data->>'role' = 'assistant' GROUP BY 1`,
    );
    expect(counts).toHaveLength(userMessages);
    expect(counts.filter((r) => r.n !== 1)).toEqual([]);

    // In order: within each conversation, replies follow the order of the messages they answer.
    const { rows: streams } = await db.pool.query<{ stream_id: string; replies: string[]; asked: string[] }>(
      `SELECT stream_id,
              array_agg(data->>'replyTo' ORDER BY stream_revision) FILTER (WHERE data->>'role' = 'assistant') AS replies,
              array_agg(data->>'messageId' ORDER BY stream_revision) FILTER (WHERE data->>'role' = 'user') AS asked
         FROM es_events WHERE type = 'MessageReceived' GROUP BY stream_id`,
    );
    expect(streams).toHaveLength(conversations);
    for (const s of streams) expect(s.replies).toEqual(s.asked);

    // A really was cut off mid-answer, and what it was answering was answered by the others.
    expect(interrupted.length).toBeGreaterThan(0);
    const askedLater = new Set([...b.stub.requests, ...c.stub.requests].map((r) => markerOf(r.body)));
    expect(interrupted.some((marker) => askedLater.has(marker))).toBe(true);
    // The newcomer took part.
    expect(c.stub.requests.length).toBeGreaterThan(0);
  }, 240_000);
});
