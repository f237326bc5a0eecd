import type pg from 'pg';
import type { ProjectionDefinition } from '../../projections/projection.ts';

/** Every row of a projection's logical tables, in a stable order, for comparing two builds. */
export const dumpProjection = async (
  pool: pg.Pool,
  definition: ProjectionDefinition,
): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  for (const table of definition.tables) {
    const { rows } = await pool.query(`SELECT * FROM ${table}`);
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
};
