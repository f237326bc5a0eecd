import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgReactorLock } from '../../ops/runtime/agent/lock.ts';
import { createKnowledgeRetriever } from '../../ops/runtime/agent/retriever.ts';
import { type Agent, startAgent } from '../../ops/runtime/agent.ts';
import { parseEnv } from '../../schemas/config.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { waitFor } from '../helpers/wait.ts';
import { countingLlm, dm, type Harness, startHarness } from './harness.ts';

const repliesTo = (events: SalesEvent[], id: string) =>
  events.filter((e) => e.type === 'MessageReceived' && e.data.role === 'assistant' && e.data.replyTo === id);

/** The backend holding an agent lock of this schema (to kill it, as if its process died). */
const lockHolder = async (h: Harness, name: string): Promise<number | null> => {
  const { rows } = await h.db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND objsubid = 2
       AND classid::bigint = (hashtext('salesai.lock')::bigint + 4294967296) % 4294967296
       AND objid::bigint = (hashtext($1 || ':' || $2)::bigint + 4294967296) % 4294967296`,
    [h.db.schema, `agent:${name}`],
  );
  return rows[0]?.pid ?? null;
};

describe('one active agent across processes (Postgres advisory lock)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lets only one process hold the lock, and the next one take it when the holder dies', async () => {
    const first = createPgReactorLock(h.db.listenConfig, 'lock-test');
    const second = createPgReactorLock(h.db.listenConfig, 'lock-test');
    const elsewhere = createPgReactorLock(
      { ...h.db.listenConfig, options: '-c search_path=public' },
      'lock-test',
    );
    expect(await first.tryAcquire()).toBe(true);
    expect(await second.tryAcquire()).toBe(false);
    // Another schema (another deployment, another test) has a lock of its own.
    expect(await elsewhere.tryAcquire()).toBe(true);
    await elsewhere.release();

    const pid = await lockHolder(h, 'lock-test');
    expect(pid).not.toBeNull();
    await h.db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await first.stillHeld()).toBe(false);
    expect(await second.tryAcquire()).toBe(true);
    expect(await second.stillHeld()).toBe(true);
    await second.release();
    await first.release();
  });

  it('runs the reactor in one of two agents; the other takes over when it stops', async () => {
    const env = parseEnv({ DATABASE_SCHEMA: h.db.schema });
    const start = (llm: ReturnType<typeof countingLlm>['llm']): Promise<Agent> =>
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
        name: 'two-agents',
      });
    const a = countingLlm();
    const b = countingLlm();
    const agentA = await start(a.llm);
    await agentA.active();
    const agentB = await start(b.llm);
    // B has tried the lock and found it held.
    await waitFor(() => agentB.status() === 'standby', 30_000);
    expect([agentA.status(), agentB.status()]).toEqual(['active', 'standby']);

    const conversation = dm();
    await h.say(conversation, 'm1', '価格が高いと言われました');
    await h.waitFor(conversation.id, (all) =>
      all.some((e) => e.type === 'InsightDerived' && e.data.basedOnMessageId === 'm1'),
    );
    expect(a.calls).toEqual(['reply', 'insight']);
    expect(b.calls).toEqual([]);

    await agentA.stop();
    await agentB.active();
    expect(agentB.status()).toBe('active');
    await h.say(conversation, 'm2', '次回の日程をどう決めればいいですか？');
    const events = await h.waitFor(conversation.id, (all) =>
      all.some((e) => e.type === 'InsightDerived' && e.data.basedOnMessageId === 'm2'),
    );
    await agentB.stop();
    expect(repliesTo(events, 'm1')).toHaveLength(1);
    expect(repliesTo(events, 'm2')).toHaveLength(1);
    expect(b.calls).toEqual(['reply', 'insight']);
  });
});
