import type pg from 'pg';
import type { HealthCheck } from '../../../read-api/health/checks.ts';
import { defaultReactorName, handledTypes } from '../../../write/agent/reactor/reactor.ts';
import { type EventStore, START } from '../../../write/event-store/port.ts';
import { createPgCheckpointStore } from './checkpoints.ts';

/** Counted up to this many: enough to say how far behind, cheap to ask on every scrape. */
const COUNT_CAP = 100_000;

/** The agent this far behind is reported degraded (users wait for their replies). */
const LAG_WARNING_SECONDS = 60;

export type AgentBacklog = {
  /** Events after the agent's checkpoint that it acts on; null when the store cannot count. */
  events: number | null;
  /** Age of the oldest of them; 0 when there is none. */
  lagSeconds: number;
};

/**
 * How far the agent is behind, from the stored checkpoint and the event store: the same answer
 * in every process, whichever one (or which thread) runs the agent.
 */
export const readAgentBacklog = async (
  pool: pg.Pool,
  store: EventStore,
  name = defaultReactorName,
  clock: () => number = Date.now,
): Promise<AgentBacklog> => {
  const checkpoint = await createPgCheckpointStore(pool).get(name);
  const after = checkpoint ? { after: checkpoint } : {};
  const [oldest] = await store.readAll({ ...after, maxCount: 1, types: handledTypes });
  if (!oldest) return { events: 0, lagSeconds: 0 };
  const events = store.countEventsAfter
    ? await store.countEventsAfter(checkpoint ?? START, COUNT_CAP, handledTypes)
    : null;
  return { events, lagSeconds: Math.max(0, Math.round((clock() - oldest.createdAt.getTime()) / 1000)) };
};

/** The agent's backlog and lag as a health component: degraded when replies are late, never required. */
export const agentBacklogCheck = (pool: pg.Pool, store: EventStore): HealthCheck => ({
  name: 'agent',
  required: false,
  check: async () => {
    const started = performance.now();
    const backlog = await readAgentBacklog(pool, store);
    const behind = backlog.lagSeconds > LAG_WARNING_SECONDS;
    return {
      status: behind ? 'degraded' : 'ok',
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...(behind ? { detail: `${backlog.lagSeconds}s behind (${backlog.events ?? 'many'} events)` } : {}),
      info: { backlogEvents: backlog.events, lagSeconds: backlog.lagSeconds },
    };
  },
});
