import type pg from 'pg';

/** The event store's own tables: backed up as events.ndjson.gz, never as rows. */
const eventStoreTables = new Set(['es_events', 'es_streams']);
/** Written by `migrate`; the target's own migrations create the same rows. */
const migrationTables = new Set(['salesai_migrations']);
/** Projection bookkeeping: meaningless once the events have new positions; rebuilt with the read models. */
const projectionBookkeeping = new Set([
  'projection_generations',
  'projection_rebuild_requests',
  'projection_dead_letters',
]);
const generationTable = /__g\d+$/;

export type TableInfo = { name: string; columns: string[]; restore: boolean };

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The schema's base tables other than the event store's and the migrations': projection tables
 * are exported (for inspection and counts) but restore rebuilds them from the events; every
 * other table (API keys, agent checkpoints, Slack reply bookkeeping, anything added later)
 * holds state that is not in the events and is restored row for row.
 */
export const listTables = async (db: pg.ClientBase | pg.Pool, schema: string): Promise<TableInfo[]> => {
  const { rows } = await db.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      GROUP BY c.relname
      ORDER BY c.relname`,
    [schema],
  );
  return rows
    .filter((r) => !eventStoreTables.has(r.name) && !migrationTables.has(r.name))
    .map((r) => ({
      name: r.name,
      columns: r.columns,
      restore: !projectionBookkeeping.has(r.name) && !generationTable.test(r.name),
    }));
};

export const appliedMigrations = async (db: pg.Pool, schema: string): Promise<string[]> => {
  const { rows } = await db.query<{ name: string }>(
    `SELECT name FROM ${quoteIdent(schema)}.salesai_migrations ORDER BY run_on, id`,
  );
  return rows.map((r) => r.name);
};
