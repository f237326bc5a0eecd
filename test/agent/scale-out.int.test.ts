import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgPartitionLeases } from '../../ops/runtime/agent/partition-leases.ts';
import { createPgRepLimiter } from '../../ops/runtime/agent/rep-limiter.ts';
import { createKnowledgeRetriever } from '../../ops/runtime/agent/retriever.ts';
import { type Agent, startAgent } from '../../ops/runtime/agent.ts';
import { agentHealthCheck } from '../../ops/runtime/agent-health.ts';
import { createMetrics } from '../../read-api/metrics/metrics.ts';
import { type Env, parseEnv } from '../../schemas/config.ts';
import type { Conversation, SalesEvent } from '../../schemas/events/index.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { overLimitNote } from '../../write/agent/canned-replies.ts';
import { createMockLlm } from '../../write/agent/llm/mock.ts';
import type { LlmPort } from '../../write/agent/llm/port.ts';
import { partitionOf } from '../../write/agent/reactor/partitions.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { countingLlm, dm, type Harness, startHarness, until } from './harness.ts';

const repliesTo = (events: SalesEvent[], id: string) =>
  events.filter((e) => e.type === 'MessageReceived' && e.data.role === 'assistant' && e.data.replyTo === id);

/** Backends holding this schema's agent locks whose key starts with `prefix` (to kill them). */
const holders = async (h: Harness, keys: string[]): Promise<number[]> => {
  const { rows } = await h.db.pool.query<{ pid: number }>(
    `SELECT DISTINCT pid FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND objsubid = 2
       AND classid::bigint = (hashtext('salesai.lock')::bigint + 4294967296) % 4294967296
       AND objid::bigint IN (SELECT (hashtext($1 || ':' || k)::bigint + 4294967296) % 4294967296
                               FROM unnest($2::text[]) AS k)`,
    [h.db.schema, keys],
  );
  return rows.map((r) => r.pid);
};

/** One DM conversation in each of `count` partitions, so that every process gets some. */
const oneDmPerPartition = (count: number): Conversation[] => {
  const found = new Map<number, Conversation>();
  for (let i = 0; found.size < count; i++) {
    const conversation = dm(`DP${i}`);
    const p = partitionOf(conversation.id, count);
    if (!found.has(p)) found.set(p, conversation);
  }
  return [...found.values()];
};

/** An agent as `serve` starts it, over the harness's schema, with the given model. */
const agentOf = (h: Harness, env: Env, llm: LlmPort, name?: string): Promise<Agent> =>
  startAgent({
    env,
    database: h.db,
    store: h.store,
    codec: plainCodec,
    logger: silentLogger,
    llm,
    retriever: createKnowledgeRetriever(h.db.pool, silentLogger),
    seedDirectory: null,
    pollMs: 50,
    ...(name ? { name } : {}),
  });

describe('the agent shared by several processes (partitions over Postgres advisory locks)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('counts members, gives each partition to one holder, and frees everything when a holder dies', async () => {
    const a = createPgPartitionLeases(h.db.listenConfig, 'leases-test', 4);
    const b = createPgPartitionLeases(h.db.listenConfig, 'leases-test', 4);
    const guest = createPgPartitionLeases(h.db.listenConfig, 'leases-test', 4, { guest: true });
    const elsewhere = createPgPartitionLeases(
      { ...h.db.listenConfig, options: '-c search_path=public' },
      'leases-test',
      4,
    );
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(true);
    expect(await guest.tryAcquire()).toBe(true);
    // Guests are not counted: a member's share does not shrink for `salesai chat`.
    expect(await a.members()).toBe(2);
    expect(await guest.members()).toBe(2);
    expect(await a.tryAcquirePartition(0)).toBe(true);
    expect(await b.tryAcquirePartition(0)).toBe(false);
    expect(await b.tryAcquirePartition(1)).toBe(true);
    // Another schema (another deployment, another test) has partitions of its own.
    expect(await elsewhere.tryAcquire()).toBe(true);
    expect(await elsewhere.tryAcquirePartition(0)).toBe(true);
    await elsewhere.release();

    // Taken twice by its holder (advisory locks are re-entrant), given back once: free.
    expect(await a.tryAcquirePartition(0)).toBe(true);
    await a.releasePartition(0);
    expect(await b.tryAcquirePartition(0)).toBe(true);
    await b.releasePartition(0);
    expect(await a.tryAcquirePartition(0)).toBe(true);

    // The holder's connection dies (its process was killed): its partitions are free at once.
    for (const pid of await holders(h, ['agent:leases-test:partition:0/4'])) {
      await h.db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    }
    expect(await a.stillHeld()).toBe(false);
    expect(await b.members()).toBe(1);
    expect(await b.tryAcquirePartition(0)).toBe(true);
    await b.release();
    await guest.release();
    await a.release();
  });

  it('splits the conversations between two agents, and one takes everything when the other stops', async () => {
    const env = parseEnv({ DATABASE_SCHEMA: h.db.schema, AGENT_PARTITIONS: '4' });
    const start = (llm: ReturnType<typeof countingLlm>['llm']): Promise<Agent> =>
      agentOf(h, env, llm, 'two-agents');
    const a = countingLlm();
    const b = countingLlm();
    const agentA = await start(a.llm);
    await agentA.active();
    await until(() => agentA.backlog()?.partitions.owned === 4);
    const agentB = await start(b.llm);
    await agentB.active();
    // A gives half back; B takes it.
    await until(() => agentA.backlog()?.partitions.owned === 2 && agentB.backlog()?.partitions.owned === 2);

    const conversations = oneDmPerPartition(4);
    for (const [i, conversation] of conversations.entries())
      await h.say(conversation, 'm1', '価格が高いと言われました', { userId: `UA${i}` });
    for (const conversation of conversations)
      await h.waitFor(conversation.id, (all) => repliesTo(all, 'm1').length === 1);
    // Each agent answered the conversations of its own partitions.
    expect(a.calls.filter((c) => c === 'reply')).toHaveLength(2);
    expect(b.calls.filter((c) => c === 'reply')).toHaveLength(2);

    await agentA.stop();
    await until(() => agentB.backlog()?.partitions.owned === 4);
    for (const [i, conversation] of conversations.entries())
      await h.say(conversation, 'm2', '次回の日程をどう決めればいいですか？', { userId: `UA${i}` });
    for (const conversation of conversations) {
      const events = await h.waitFor(conversation.id, (all) => repliesTo(all, 'm2').length === 1);
      expect(repliesTo(events, 'm1')).toHaveLength(1);
    }
    expect(b.calls.filter((c) => c === 'reply')).toHaveLength(6);
    await agentB.stop();
  });

  it("answers a rep's messages over the per-minute limit with a note, without the LLM", async () => {
    const env = parseEnv({
      DATABASE_SCHEMA: h.db.schema,
      AGENT_PARTITIONS: '2',
      AGENT_REP_MESSAGES_PER_MINUTE: '2',
      INSIGHTS_MODE: 'session_end',
    });
    const llm = countingLlm();
    const agent = await agentOf(h, env, llm.llm, 'limited');
    await agent.active();
    const busy = dm();
    const other = dm();
    for (const id of ['b1', 'b2', 'b3', 'b4'])
      await h.say(busy, id, '価格交渉のコツは？', { userId: 'UBUSY' });
    await h.say(other, 'o1', '価格交渉のコツは？', { userId: 'UCALM' });
    const events = await h.waitFor(busy.id, (all) => repliesTo(all, 'b4').length === 1);
    await h.waitFor(other.id, (all) => repliesTo(all, 'o1').length === 1);
    await agent.stop();
    const texts = ['b1', 'b2', 'b3', 'b4'].map((id) => {
      const [reply] = repliesTo(events, id);
      return reply?.type === 'MessageReceived' ? reply.data.text : null;
    });
    const note = overLimitNote(2).ja;
    expect(texts.map((t) => t === note)).toEqual([false, false, true, true]);
    // Two answers for the busy rep, one for the other: the notes cost no LLM call.
    expect(llm.calls.filter((c) => c === 'reply')).toHaveLength(3);
  });

  it('keeps the same decision for a message judged again, in whichever process', async () => {
    const one = createPgRepLimiter(h.db.pool, 1);
    const two = createPgRepLimiter(h.db.pool, 1);
    const at = new Date();
    expect(await one.admit('UREPEAT', 'e1', at)).toBe(true);
    expect(await two.admit('UREPEAT', 'e2', new Date(at.getTime() + 1000))).toBe(false);
    expect(await two.admit('UREPEAT', 'e1', at)).toBe(true);
    expect(await one.admit('UREPEAT', 'e2', new Date(at.getTime() + 1000))).toBe(false);
    expect(await one.admit('UREPEAT', 'e3', new Date(at.getTime() + 61_000))).toBe(true);
  });
});

describe("the agent's backlog in health and metrics", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('shows its backlog in health and metrics while the model is slow', async () => {
    const env = parseEnv({
      DATABASE_SCHEMA: h.db.schema,
      AGENT_PARTITIONS: '2',
      AGENT_CONCURRENCY: '1',
      INSIGHTS_MODE: 'session_end',
    });
    // A model that answers only when the test lets it.
    let open: () => void = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    const mock = createMockLlm();
    const slow: LlmPort = {
      provider: mock.provider,
      model: mock.model,
      complete: async (request) => {
        await opened;
        return mock.complete(request);
      },
      async *stream(request) {
        await opened;
        yield* mock.stream(request);
      },
    };
    const agent = await agentOf(h, env, slow);
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observeAgent(() => {
      const b = agent.backlog();
      return b
        ? {
            queued: b.queued,
            running: b.running,
            insights: b.insights,
            partitionsOwned: b.partitions.owned,
            oldestWaitingSince: b.oldestWaitingSince,
            oldestUnansweredSince: b.oldestUnansweredSince,
            llmInFlight: agent.llm().inFlight,
            llmWaiting: agent.llm().waiting,
            llmPausedForMs: agent.llm().pausedForMs,
          }
        : null;
    });
    const health = agentHealthCheck(env, h.db.pool, h.store, () => agent);
    try {
      await agent.active();
      const waiting = [dm(), dm(), dm()];
      for (const [i, conversation] of waiting.entries())
        await h.say(conversation, 'w1', '見積もりの後、返事がありません', { userId: `UW${i}` });
      await until(() => agent.backlog()?.running === 1 && agent.backlog()?.queued === 2);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^agent_queue_length 2$/m);
      expect(text).toMatch(/^agent_conversations_in_flight 1$/m);
      expect(text).toMatch(/^agent_partitions_owned 2$/m);
      expect(text).toMatch(/^agent_oldest_unanswered_message_age_seconds \d/m);
      const report = await health.check();
      expect(report.info).toMatchObject({
        backlogMessages: 3,
        thisProcess: { status: 'active', partitionsOwned: 2, queued: 2, answering: 1 },
      });
      expect(
        (report.info as { oldestUnansweredSeconds: number }).oldestUnansweredSeconds,
      ).toBeGreaterThanOrEqual(0);
      // Answered: the checkpoints pass the messages and their replies, and the backlog is gone.
      open();
      for (const conversation of waiting)
        await h.waitFor(conversation.id, (all) => repliesTo(all, 'w1').length === 1);
      let left: unknown;
      await until(() => {
        void health.check().then((r) => {
          left = r.info?.backlogMessages;
        });
        return left === 0;
      });
      expect((await health.check()).status).toBe('ok');
    } finally {
      open();
      await agent.stop();
    }
  });
});
