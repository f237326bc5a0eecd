import type pg from 'pg';
import type { EventType, SalesEvent } from '../schemas/events/index.ts';
import type { Position } from '../write/event-store/port.ts';

/**
 * A read model. Its tables are created per generation (blue/green): `ddl` receives the physical
 * names for one generation, e.g. `{ dialogue_sessions: 'dialogue_sessions__g2' }`, and the runner
 * exposes the live generation under the logical names as views. Queries always use the logical
 * names; `apply` always uses the physical names it is given.
 */
export type TableNames<T extends string = string> = Readonly<Record<T, string>>;

export type ApplyContext<T extends string = string> = {
  /** The transaction the runner commits together with the checkpoint. */
  client: pg.ClientBase;
  tables: TableNames<T>;
  position: Position;
};

export type ProjectionDefinition<T extends string = string> = {
  /** Stable name: used in the checkpoint table, the CLI and the API (`rebuild <name>`). */
  name: string;
  /** Bump when the DDL or the logic changes: the runner then rebuilds it blue/green. */
  version: number;
  /** Logical table names (also the view names). The first one is the projection's main table. */
  tables: readonly T[];
  /** Event types it consumes; others are skipped (their position still advances the checkpoint). */
  handles: readonly EventType[];
  /** CREATE TABLE / CREATE INDEX statements for one generation's physical tables. */
  ddl: (tables: TableNames<T>) => string;
  /**
   * Applies one event. Must be idempotent: applying an event twice leaves the same rows
   * (upserts keyed by ids from the event; counters guarded by the event's position).
   */
  apply: (event: SalesEvent, context: ApplyContext<T>) => Promise<void>;
  /**
   * Optional: applies a run of events at once (multi-row statements), for catch-up and rebuild
   * speed. Must leave exactly the rows that applying them one by one would.
   */
  applyBatch?: (
    events: readonly PositionedEvent[],
    context: Omit<ApplyContext<T>, 'position'>,
  ) => Promise<void>;
  /** Cache scopes whose entries an event makes stale (bumped after the transaction commits). */
  cacheScopes?: (event: SalesEvent) => readonly string[];
};

export type PositionedEvent = { event: SalesEvent; position: Position };

export const defineProjection = <T extends string>(
  definition: ProjectionDefinition<T>,
): ProjectionDefinition<T> => definition;

/** The physical tables of one generation. */
export const generationTables = <T extends string>(
  definition: ProjectionDefinition<T>,
  generation: number,
): TableNames<T> =>
  Object.fromEntries(definition.tables.map((t) => [t, `${t}__g${generation}`])) as TableNames<T>;
