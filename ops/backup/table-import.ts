import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CheckpointMap } from './checkpoint-map.ts';
import type { TableEntry } from './format.ts';
import { readGzipLines } from './ndjson-gzip.ts';
import { quoteIdent } from './tables.ts';

/** A table that stores a store position per row: a reactor's checkpoint, renumbered on restore. */
const isCheckpointTable = (t: TableEntry) =>
  t.columns.includes('commit_position') && t.columns.includes('prepare_position');

/** The old positions in the backup's checkpoint tables, read from the COPY text before the events are restored. */
export const backupCheckpoints = async (dir: string, tables: readonly TableEntry[]): Promise<string[]> => {
  const out: string[] = [];
  for (const table of tables.filter((t) => t.restore && isCheckpointTable(t))) {
    const commit = table.columns.indexOf('commit_position');
    const prepare = table.columns.indexOf('prepare_position');
    for await (const line of readGzipLines(path.join(dir, table.file))) {
      const fields = line.split('\t');
      out.push(`${fields[commit]}/${fields[prepare]}`);
    }
  }
  return out;
};

export type TableImport = { name: string; rows: number; inserted: number };

/**
 * Loads each restorable table's COPY into a temporary copy of it, renumbers checkpoint
 * positions, then inserts with ON CONFLICT DO NOTHING: an empty target gets every row; with
 * --force, rows the target already has (same key) are kept as they are. One transaction.
 */
export const importTables = async (
  pool: pg.Pool,
  schema: string,
  dir: string,
  tables: readonly TableEntry[],
  map: CheckpointMap,
  /** Runs in the same transaction once every table is loaded (the shredding ledger is applied here). */
  beforeCommit?: (client: pg.PoolClient) => Promise<void>,
): Promise<TableImport[]> => {
  const client = await pool.connect();
  const results: TableImport[] = [];
  try {
    await client.query('BEGIN');
    for (const table of tables.filter((t) => t.restore)) {
      const target = `${quoteIdent(schema)}.${quoteIdent(table.name)}`;
      const exists = await client.query('SELECT to_regclass($1) AS oid', [target]);
      if (!exists.rows[0]?.oid)
        throw new Error(`table ${table.name} of the backup does not exist here: run the same app version`);
      const tmp = quoteIdent(`restore_${table.name}`.slice(0, 63));
      const columns = table.columns.map(quoteIdent).join(', ');
      await client.query(`CREATE TEMP TABLE ${tmp} (LIKE ${target}) ON COMMIT DROP`);
      await pipeline(
        createReadStream(path.join(dir, table.file)),
        createGunzip(),
        client.query(copyFrom(`COPY ${tmp} (${columns}) FROM STDIN`)),
      );
      if (isCheckpointTable(table)) {
        for (const [old, mapped] of map.mapped()) {
          const [commit, prepare] = old.split('/');
          await client.query(
            `UPDATE ${tmp} SET commit_position = $3, prepare_position = $4 WHERE commit_position = $1 AND prepare_position = $2`,
            [commit, prepare, mapped.commit.toString(), mapped.prepare.toString()],
          );
        }
      }
      const inserted = await client.query(
        `INSERT INTO ${target} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM ${tmp} ON CONFLICT DO NOTHING`,
      );
      // Identity sequences continue after the restored ids.
      const { rows: identity } = await client.query<{ column: string }>(
        `SELECT a.attname AS column FROM pg_attribute a
          WHERE a.attrelid = $1::regclass AND a.attidentity <> '' AND NOT a.attisdropped`,
        [target],
      );
      for (const { column } of identity) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), max_id) FROM (SELECT max(${quoteIdent(column)}) AS max_id FROM ${target}) m WHERE max_id IS NOT NULL`,
          [target, column],
        );
      }
      results.push({ name: table.name, rows: table.rows, inserted: inserted.rowCount ?? 0 });
    }
    await beforeCommit?.(client);
    await client.query('COMMIT');
    return results;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};
