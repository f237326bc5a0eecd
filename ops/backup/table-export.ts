import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { TableEntry } from './format.ts';
import { tableFile } from './format.ts';
import { listTables, quoteIdent } from './tables.ts';

/**
 * COPY (text format) of every table but the event store's, gzip-compressed, from one
 * REPEATABLE READ snapshot so that the tables agree with each other. COPY text keeps every
 * type exact (bytea, numeric, timestamptz) and loads back with COPY FROM.
 */
export const exportTables = async (
  pool: pg.Pool,
  schema: string,
  dir: string,
  onTable: (done: number, total: number) => void,
): Promise<TableEntry[]> => {
  await mkdir(path.join(dir, 'tables'), { recursive: true, mode: 0o700 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await listTables(client, schema);
    const entries: TableEntry[] = [];
    for (const table of tables) {
      const file = tableFile(table.name);
      const columns = table.columns.map(quoteIdent).join(', ');
      const stream = client.query(
        copyTo(`COPY ${quoteIdent(schema)}.${quoteIdent(table.name)} (${columns}) TO STDOUT`),
      );
      await pipeline(stream, createGzip(), createWriteStream(path.join(dir, file), { mode: 0o600 }));
      entries.push({
        name: table.name,
        file,
        columns: table.columns,
        rows: stream.rowCount,
        restore: table.restore,
      });
      onTable(entries.length, tables.length);
    }
    await client.query('COMMIT');
    return entries;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};
