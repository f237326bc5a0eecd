import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type pg from 'pg';

const run = promisify(execFile);

/** The major version of a `pg_dump` on PATH, or null when there is none. */
const pgDumpMajor = async (): Promise<number | null> => {
  try {
    const { stdout } = await run('pg_dump', ['--version']);
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
};

export const serverVersion = async (pool: pg.Pool) => {
  const { rows } = await pool.query<{ num: string; text: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
  );
  const row = rows[0]!;
  return { major: Math.floor(Number(row.num) / 10000), text: row.text };
};

/**
 * A full `pg_dump -Fc` of the schema, for a DBA's `pg_restore` of everything at once. Only with a
 * pg_dump of the server's major version: an older one refuses a newer server, a newer one
 * writes archives an older pg_restore cannot read. Returns the tool's version line, or null.
 */
export const dumpSchema = async (url: string, schema: string, file: string, serverMajor: number) => {
  const major = await pgDumpMajor();
  if (major !== serverMajor)
    return {
      dumped: false as const,
      reason: major === null ? 'no pg_dump on PATH' : `pg_dump ${major} does not match server ${serverMajor}`,
    };
  const { stdout } = await run('pg_dump', ['--version']);
  await run(
    'pg_dump',
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--schema=${schema}`,
      `--file=${file}`,
      `--dbname=${url}`,
    ],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return { dumped: true as const, tool: stdout.trim() };
};
