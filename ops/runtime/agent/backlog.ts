import type pg from 'pg';
import { partitionCheckpointName } from '../../../write/agent/reactor/partitions.ts';
import { defaultReactorName, handledTypes } from '../../../write/agent/reactor/reactor.ts';
import { type EventStore, type Position, START } from '../../../write/event-store/port.ts';
import { createPgCheckpointStore } from './checkpoints.ts';

/** The partitions of the agent's work unless AGENT_PARTITIONS says otherwise (its default). */
const defaultPartitions = 16;

/** Counted up to this many: enough to say how far behind, cheap to ask on every scrape. */
const COUNT_CAP = 100_000;

export type AgentBacklog = {
  /** Events after the agent's checkpoint that it acts on; null when the store cannot count. */
  events: number | null;
  /** Age of the oldest of them; 0 when there is none. */
  lagSeconds: number;
};

/**
 * The earliest checkpoint of the agent's partitions (no agent process has handled past it); with
 * no partition saved yet, where the single reactor of earlier versions stood, if it ran.
 */
export const slowestAgentCheckpoint = async (
  pool: pg.Pool,
  name: string,
  partitions: number,
): Promise<Position | null> => {
  const names = Array.from({ length: partitions }, (_, i) => partitionCheckpointName(name, i, partitions));
  const { rows } = await pool.query<{ c: string | null; p: string | null; n: number }>(
    `SELECT min(commit_position)::text AS c, count(*)::int AS n,
            (array_agg(prepare_position::text ORDER BY commit_position, prepare_position))[1] AS p
       FROM agent_checkpoints WHERE name = ANY ($1)`,
    [names],
  );
  const row = rows[0];
  if (row && row.n > 0 && row.c !== null && row.p !== null)
    return { commit: BigInt(row.c), prepare: BigInt(row.p) };
  return createPgCheckpointStore(pool).get(name);
};

/**
 * How far the agent is behind, from the stored checkpoints and the event store: the same answer
 * in every process, whichever one (or which thread) runs the agent.
 */
export const readAgentBacklog = async (
  pool: pg.Pool,
  store: EventStore,
  name = defaultReactorName,
  clock: () => number = Date.now,
  partitions = defaultPartitions,
): Promise<AgentBacklog> => {
  const checkpoint = await slowestAgentCheckpoint(pool, name, partitions);
  const after = checkpoint ? { after: checkpoint } : {};
  const [oldest] = await store.readAll({ ...after, maxCount: 1, types: handledTypes });
  if (!oldest) return { events: 0, lagSeconds: 0 };
  const events = store.countEventsAfter
    ? await store.countEventsAfter(checkpoint ?? START, COUNT_CAP, handledTypes)
    : null;
  return { events, lagSeconds: Math.max(0, Math.round((clock() - oldest.createdAt.getTime()) / 1000)) };
};
