import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { startEmbeddedPostgres } from '../../ops/runtime/embedded-postgres.ts';
import { migrate } from '../../ops/runtime/migrate.ts';
import { clientConfig, createPool, postgresReachable } from '../../ops/runtime/postgres.ts';

export type BenchDatabase = {
  url: string;
  schema: string;
  source: string;
  pool: pg.Pool;
  listenConfig: pg.ClientConfig;
  drop: () => Promise<void>;
};

/** The local Postgres (BENCH_DATABASE_URL, else 127.0.0.1:5432/test), else the embedded one. */
export const openBenchDatabase = async (poolSize = 40): Promise<BenchDatabase> => {
  let url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  let source = url.replace(/:[^:@/]*@/, ':***@');
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!(await postgresReachable(url))) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-bench-'));
    const embedded = await startEmbeddedPostgres(path.join(dir, 'pg'), { info: () => {}, warn: () => {} });
    url = embedded.url;
    stopEmbedded = embedded.stop;
    source = 'embedded PostgreSQL';
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await migrate(url, schema);
  const pool = createPool({ url, schema, max: poolSize, applicationName: 'salesai-bench' });
  return {
    url,
    schema,
    source,
    pool,
    listenConfig: clientConfig({ url, schema }),
    drop: async () => {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
      await stopEmbedded?.();
    },
  };
};
