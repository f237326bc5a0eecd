import { generationTables, type ProjectionDefinition } from '../../projections/projection.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import type { Position } from '../../write/event-store/port.ts';
import type { TestDatabase } from './postgres.ts';

/**
 * Creates one generation of a projection's tables in a test schema, with the logical names as
 * views over them (as the runner does), and applies events one transaction each.
 */
export const setupTestProjection = async <T extends string>(
  db: TestDatabase,
  definition: ProjectionDefinition<T>,
) => {
  const tables = generationTables(definition, 1);
  await db.pool.query(definition.ddl(tables));
  for (const logical of definition.tables) {
    await db.pool.query(`CREATE OR REPLACE VIEW ${logical} AS SELECT * FROM ${tables[logical]}`);
  }
  let prepare = 0n;
  const apply = async (events: readonly SalesEvent[], position?: Position) => {
    for (const event of events) {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        prepare += 1n;
        await definition.apply(event, { client, tables, position: position ?? { commit: 1n, prepare } });
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    }
  };
  return { tables, apply };
};
