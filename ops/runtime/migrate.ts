import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { clientConfig } from './postgres.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every migration folder's SQL files; names start with a timestamp, which orders them across folders. */
export const migrationGlobs = [
  path.join(root, 'write/event-store/postgres/migrations/*.sql'),
  path.join(root, 'projections/runner/migrations/*.sql'),
  path.join(root, 'read-api/auth/migrations/*.sql'),
  path.join(root, 'ops/runtime/migrations/*.sql'),
];

type Log = (message: string) => void;

/**
 * Applies pending migrations to `schema` (created if missing). Concurrent callers wait for
 * each other on node-pg-migrate's advisory lock, so every process can migrate on start.
 */
export const migrate = async (url: string, schema: string, log: Log = () => {}): Promise<string[]> => {
  const client = new pg.Client(clientConfig({ url, schema, applicationName: 'salesai-migrate' }));
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const applied = await runner({
      dbClient: client,
      dir: migrationGlobs,
      useGlob: true,
      direction: 'up',
      schema,
      migrationsTable: 'salesai_migrations',
      createSchema: true,
      checkOrder: false,
      singleTransaction: true,
      advisoryLockMode: 'wait',
      log: () => {},
      logger: { debug: () => {}, info: () => {}, warn: log, error: log },
    });
    for (const migration of applied) log(`migrated ${migration.name}`);
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
};
