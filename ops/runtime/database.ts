import path from 'node:path';
import type pg from 'pg';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrate } from './migrate.ts';
import { clientConfig, createPool } from './postgres.ts';

export type Database = {
  url: string;
  schema: string;
  pool: pg.Pool;
  listenConfig: pg.ClientConfig;
  embedded: boolean;
  close: () => Promise<void>;
};

/**
 * DATABASE_URL, or the embedded Postgres under DATA_DIR. Migrations run on every start
 * (concurrent starts wait for each other).
 */
/**
 * The connections a process may hold: DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW. With the `all`
 * role they are shared by the serving thread (two thirds) and the background thread (a third),
 * so moving the background work to its own thread does not double what the process may open.
 */
export const poolShares = (env: Pick<Env, 'DATABASE_POOL_SIZE' | 'DATABASE_MAX_OVERFLOW'>) => {
  const total = env.DATABASE_POOL_SIZE + env.DATABASE_MAX_OVERFLOW;
  const background = Math.max(2, Math.floor(total / 3));
  return { total, serving: Math.max(2, total - background), background };
};

export const openDatabase = async (
  env: Env,
  logger: Logger,
  /** statementTimeoutMs: for the serving pool only (see PoolSettings). */
  options: { migrate?: boolean; poolMax?: number; statementTimeoutMs?: number } = {},
): Promise<Database> => {
  let url = env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await startEmbeddedPostgres(path.join(env.DATA_DIR, 'postgres'), {
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
    });
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const schema = env.DATABASE_SCHEMA;
  try {
    if (options.migrate !== false) {
      await migrate(url, schema, (m) => logger.info(m));
    }
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  const pool = createPool({
    url,
    schema,
    max: options.poolMax ?? poolShares(env).total,
    ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
  });
  return {
    url,
    schema,
    pool,
    listenConfig: clientConfig({ url, schema }),
    embedded: stopEmbedded !== undefined,
    close: async () => {
      // pool.end() waits for every checked-out client; one stuck query must not keep the
      // embedded server running after the process has gone.
      await Promise.race([pool.end().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
      await stopEmbedded?.();
    },
  };
};
