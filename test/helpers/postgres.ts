import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../ops/runtime/migrate.ts';
import { clientConfig, createPool } from '../../ops/runtime/postgres.ts';

export type TestDatabase = {
  url: string;
  schema: string;
  pool: pg.Pool;
  listenConfig: pg.ClientConfig;
  drop: () => Promise<void>;
};

/** A fresh, migrated schema of the test Postgres: suites never see each other's rows. */
export const createTestDatabase = async (options: { max?: number } = {}): Promise<TestDatabase> => {
  const url = inject('postgresUrl');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await migrate(url, schema);
  const pool = createPool({ url, schema, max: options.max ?? 8, applicationName: 'salesai-test' });
  return {
    url,
    schema,
    pool,
    listenConfig: clientConfig({ url, schema }),
    drop: async () => {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
      await pool.end();
    },
  };
};
