import type pg from 'pg';
import type { Position } from '../../write/event-store/port.ts';
import { generationTables, type ProjectionDefinition } from '../projection.ts';

export type GenerationState = 'live' | 'building' | 'retired';

export type Generation = {
  name: string;
  generation: number;
  version: number;
  state: GenerationState;
  position: Position;
  eventsProcessed: number;
  lastEventAt: Date | null;
  startedAt: Date;
  updatedAt: Date;
};

type Row = {
  name: string;
  generation: number;
  version: number;
  state: GenerationState;
  commit_position: string;
  prepare_position: string;
  events_processed: string;
  last_event_at: Date | null;
  started_at: Date;
  updated_at: Date;
};

const toGeneration = (r: Row): Generation => ({
  name: r.name,
  generation: r.generation,
  version: r.version,
  state: r.state,
  position: { commit: BigInt(r.commit_position), prepare: BigInt(r.prepare_position) },
  eventsProcessed: Number(r.events_processed),
  lastEventAt: r.last_event_at,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
});

/** The generations that are not retired, of one projection, several, or all. */
export const readGenerations = async (
  db: pg.Pool | pg.ClientBase,
  name?: string | readonly string[],
): Promise<Generation[]> => {
  const names = name === undefined ? null : typeof name === 'string' ? [name] : name;
  const { rows } = await db.query<Row>(
    `SELECT * FROM projection_generations
      WHERE state <> 'retired' AND ($1::text[] IS NULL OR name = ANY ($1::text[]))
      ORDER BY name, generation`,
    [names],
  );
  return rows.map(toGeneration);
};

export const findGeneration = async (db: pg.Pool | pg.ClientBase, name: string, state: 'live' | 'building') =>
  (await readGenerations(db, name)).find((g) => g.state === state) ?? null;

/** Creates the next generation's tables and its row, in the caller's transaction. */
export const createGeneration = async (
  client: pg.ClientBase,
  definition: ProjectionDefinition,
  state: 'live' | 'building',
): Promise<number> => {
  const { rows } = await client.query<{ next: number }>(
    'SELECT coalesce(max(generation), 0) + 1 AS next FROM projection_generations WHERE name = $1',
    [definition.name],
  );
  const generation = rows[0]!.next;
  const tables = generationTables(definition, generation);
  for (const physical of Object.values<string>(tables))
    await client.query(`DROP TABLE IF EXISTS ${physical} CASCADE`);
  await client.query(definition.ddl(tables));
  await client.query(
    'INSERT INTO projection_generations (name, generation, version, state) VALUES ($1, $2, $3, $4)',
    [definition.name, generation, definition.version, state],
  );
  return generation;
};

/** Points the logical views at a generation's tables (in the caller's transaction). */
export const exposeGeneration = async (
  client: pg.ClientBase,
  definition: ProjectionDefinition,
  generation: number,
) => {
  const tables = generationTables(definition, generation);
  for (const logical of definition.tables) {
    await client.query(`DROP VIEW IF EXISTS ${logical}`);
    await client.query(`CREATE VIEW ${logical} AS SELECT * FROM ${tables[logical]}`);
  }
};

export const dropGenerationTables = async (
  client: pg.ClientBase,
  definition: ProjectionDefinition,
  generation: number,
) => {
  for (const physical of Object.values<string>(generationTables(definition, generation))) {
    await client.query(`DROP TABLE IF EXISTS ${physical} CASCADE`);
  }
};
