import type pg from 'pg';
import type { SafeCache } from '../../projections/cache/safe.ts';
import type { ProjectionDefinition } from '../../projections/projection.ts';
import type { TeamsConfig } from '../../projections/rubrics/queries.ts';
import type { RunnerState } from '../../projections/runner/status.ts';
import type { EventStore } from '../../write/event-store/port.ts';

/** What the read API's routes read from: the read tables (through the cache) and the projections' state. */
export type ReadModelDeps = {
  pool: pg.Pool;
  cache: SafeCache;
  store: EventStore;
  projections: readonly ProjectionDefinition[];
  /** This process' runners (empty when another process runs the projections). */
  runners: () => ReadonlyMap<string, RunnerState>;
  /** MANAGER_USER_IDS and TEAMS: whose team's rubric a rep's growth is shown on by default. */
  teams?: TeamsConfig;
};

/** How long cached reads live at most (they are invalidated on every commit anyway). */
export const CACHE_TTL_SECONDS = 300;
