import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { exitOnConfigurationError, loadConfigOrExit } from './config.ts';
import { type Database, openDatabase } from './database.ts';
import { checkEventStoreUrl, openEventStore } from './event-store.ts';
import { useConfiguredGlossaryOrExit } from './glossary.ts';
import { createLogger } from './logger.ts';

export type CliSystem = {
  env: Env;
  logger: Logger;
  database: Database;
  store: EventStore;
  close: () => Promise<void>;
};

/**
 * What a one-shot CLI command needs: configuration, the (migrated) database and the event
 * store; logs at warn so the command's own output stays readable.
 */
export const openCliSystem = async (): Promise<CliSystem> => {
  const env = loadConfigOrExit();
  await useConfiguredGlossaryOrExit(env);
  const logger = createLogger({ ...env, LOG_LEVEL: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL });
  await checkEventStoreUrl(env).catch(exitOnConfigurationError);
  const database = await openDatabase(env, logger);
  const store = await openEventStore(env, database, logger).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  return {
    env,
    logger,
    database,
    store,
    close: async () => {
      await store.close();
      await database.close();
    },
  };
};
