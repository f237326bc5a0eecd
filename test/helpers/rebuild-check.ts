import type pg from 'pg';
import type { ProjectionDefinition } from '../../projections/projection.ts';
import { projections } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { storeTail } from './store-tail.ts';
import { dumpProjection } from './tables.ts';
import { waitFor } from './wait.ts';

/** Waits until every projection's live generation has applied everything in the store now. */
export const projectionsCaughtUp = async (
  pool: pg.Pool,
  definitions: readonly ProjectionDefinition[] = projections,
  timeoutMs = 90_000,
) => {
  const tail = await storeTail(pool);
  for (const definition of definitions)
    await waitFor(
      async () => {
        const live = await findGeneration(pool, definition.name, 'live');
        return live !== null && comparePositions(live.position, tail) >= 0;
      },
      timeoutMs,
      100,
    );
};

/**
 * The read tables of every projection as they are, and as a clean rebuild from the events makes
 * them (run by the projectors of the running app), for comparison.
 */
export const tablesAndRebuild = async (
  pool: pg.Pool,
  definitions: readonly ProjectionDefinition[] = projections,
  timeoutMs = 90_000,
) => {
  await projectionsCaughtUp(pool, definitions, timeoutMs);
  const before: Record<string, Record<string, unknown[]>> = {};
  const generations: Record<string, number> = {};
  for (const definition of definitions) {
    before[definition.name] = await dumpProjection(pool, definition);
    generations[definition.name] = (await findGeneration(pool, definition.name, 'live'))!.generation;
    await requestRebuild(pool, definition.name, 'test');
  }
  const after: Record<string, Record<string, unknown[]>> = {};
  for (const definition of definitions) {
    await waitFor(
      async () =>
        ((await findGeneration(pool, definition.name, 'live'))?.generation ?? 0) >
        generations[definition.name]!,
      timeoutMs,
      100,
    );
    after[definition.name] = await dumpProjection(pool, definition);
  }
  return { before, after };
};
