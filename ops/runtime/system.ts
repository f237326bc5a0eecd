import { createApiApp } from '../../read-api/app.ts';
import type { HealthCheck } from '../../read-api/health/checks.ts';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { type Database, openDatabase } from './database.ts';
import { openEventStore } from './event-store.ts';
import { type HttpServer, listen } from './http-server.ts';
import { packageVersion } from './version.ts';

export type Role = 'all' | 'api' | 'slack' | 'projector';

export type System = {
  env: Env;
  database: Database;
  store: EventStore;
  http: HttpServer | null;
  stop: () => Promise<void>;
};

const databaseCheck = (database: Database): HealthCheck => ({
  name: 'database',
  required: true,
  check: async () => {
    const started = performance.now();
    await database.pool.query('SELECT 1');
    return {
      status: 'ok',
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      info: { embedded: database.embedded, schema: database.schema },
    };
  },
});

const eventStoreCheck = (store: EventStore): HealthCheck => ({
  name: 'eventStore',
  required: true,
  check: async () => {
    const health = await store.health();
    return {
      status: health.ok ? 'ok' : 'down',
      latencyMs: health.latencyMs,
      ...(health.detail ? { detail: health.detail } : {}),
      info: { kind: store.kind },
    };
  },
});

/**
 * The composition root: opens the database (embedded when no DATABASE_URL), the event store,
 * and serves HTTP for the roles that need it. `stop` undoes it all in reverse order.
 */
export const startSystem = async (env: Env, logger: Logger, role: Role): Promise<System> => {
  const startedAt = Date.now();
  const database = await openDatabase(env, logger);
  const stack: (() => Promise<void>)[] = [database.close];
  const stop = async () => {
    for (const undo of stack.reverse())
      await undo().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
  };
  try {
    const store = await openEventStore(env, database, logger);
    stack.push(() => store.close());

    const checks: HealthCheck[] = [databaseCheck(database), eventStoreCheck(store)];
    let http: HttpServer | null = null;
    if (role !== 'projector') {
      const app = createApiApp({
        logger,
        version: env.APP_VERSION ?? packageVersion,
        environment: env.ENVIRONMENT,
        startedAt,
        healthChecks: () => checks,
      });
      http = await listen(app, {
        host: env.HOST,
        port: env.PORT,
        keepAliveSeconds: env.KEEPALIVE,
        maxConnections: env.WORKER_CONNECTIONS,
      });
      const server = http;
      stack.push(() => server.close());
    }
    return { env, database, store, http, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
