import pg from 'pg';
import { ConfigurationError } from '../../schemas/config.ts';

// bigint columns come back as strings; counts and positions are parsed where they are read.
export const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export type PoolSettings = {
  url: string;
  schema: string;
  max: number;
  applicationName?: string;
  /**
   * DATABASE_STATEMENT_TIMEOUT for the serving pool: a statement running longer is cancelled by
   * Postgres (its request fails) instead of holding a connection forever. 0 or unset: none, as
   * for the CLI's long operations (backup, restore, forget-user's scan).
   */
  statementTimeoutMs?: number;
};

export const clientConfig = ({
  url,
  schema,
  applicationName,
  statementTimeoutMs,
}: Omit<PoolSettings, 'max'>): pg.ClientConfig => {
  if (!schemaNamePattern.test(schema)) {
    throw new ConfigurationError(
      'DATABASE_SCHEMA',
      `must be a lower-case SQL identifier (got ${JSON.stringify(schema)})`,
    );
  }
  return {
    connectionString: url,
    options: `-c search_path=${schema},public${statementTimeoutMs ? ` -c statement_timeout=${Math.round(statementTimeoutMs)}` : ''}`,
    application_name: applicationName ?? 'salesai',
    keepAlive: true,
  };
};

export const createPool = (settings: PoolSettings): pg.Pool => {
  const pool = new pg.Pool({
    ...clientConfig(settings),
    max: settings.max,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  });
  // A client losing its connection (database restart) must not crash the process: an idle one
  // is dropped by the pool ('error' on the pool); a checked-out one emits 'error' on itself,
  // which would be unhandled without this listener — its query fails and the caller retries.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
};

export const ensureSchema = async (pool: pg.Pool, schema: string): Promise<void> => {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
};

/** Whether a PostgreSQL answers at this URL (connects and runs a query within a few seconds). */
export const postgresReachable = async (url: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
};
