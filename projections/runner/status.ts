import type pg from 'pg';
import type { ProjectionStatus } from '../../schemas/api/projections.ts';
import { type EventStore, positionToString } from '../../write/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { readGenerations } from './generations.ts';
import type { ProjectionRunner } from './runner.ts';

const LAG_CAP = 1_000_000;

/** What a status reads of a runner: also reported by a runner on another thread. */
export type RunnerState = Pick<ProjectionRunner, 'status' | 'lastError'>;

/** Position, lag, dead letters and rebuild progress of every projection, from the database and the store. */
export const projectionStatuses = async (
  pool: pg.Pool,
  store: EventStore,
  definitions: readonly ProjectionDefinition[],
  runners: ReadonlyMap<string, RunnerState> = new Map(),
): Promise<ProjectionStatus[]> => {
  // Only the projections asked about: health asks about one at a time.
  const names = definitions.map((d) => d.name);
  const generations = await readGenerations(pool, names);
  const { rows: dead } = await pool.query<{ name: string; n: string }>(
    'SELECT name, count(*) AS n FROM projection_dead_letters WHERE name = ANY ($1::text[]) GROUP BY name',
    [names],
  );
  return Promise.all(
    definitions.map(async (definition): Promise<ProjectionStatus> => {
      const types = definition.handles;
      const live = generations.find((g) => g.name === definition.name && g.state === 'live');
      const building = generations.find((g) => g.name === definition.name && g.state === 'building');
      const runner = runners.get(definition.name);
      let lagEvents: number | null = null;
      let lagSeconds: number | null = null;
      if (live) {
        lagEvents = store.countEventsAfter
          ? await store.countEventsAfter(live.position, LAG_CAP, types)
          : null;
        const [next] = await store.readAll({ after: live.position, maxCount: 1, types });
        lagSeconds = next ? Math.max(0, (Date.now() - next.createdAt.getTime()) / 1000) : 0;
      }
      const total =
        building && store.countEventsAfter
          ? await store.countEventsAfter({ commit: 0n, prepare: 0n }, LAG_CAP * 100, types)
          : null;
      return {
        name: definition.name,
        version: definition.version,
        runner: runner?.status ?? 'unknown',
        generation: live?.generation ?? null,
        position: live ? positionToString(live.position) : null,
        eventsProcessed: live?.eventsProcessed ?? 0,
        lagEvents,
        lagSeconds: lagSeconds === null ? null : Math.round(lagSeconds * 1000) / 1000,
        lastEventAt: live?.lastEventAt?.toISOString() ?? null,
        updatedAt: live?.updatedAt.toISOString() ?? null,
        deadLetters: Number(dead.find((d) => d.name === definition.name)?.n ?? 0),
        lastError: runner?.lastError ?? null,
        rebuild: building
          ? {
              generation: building.generation,
              eventsProcessed: building.eventsProcessed,
              totalEvents: total,
              startedAt: building.startedAt.toISOString(),
            }
          : null,
      };
    }),
  );
};
