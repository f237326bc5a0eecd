import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import type { Database } from './database.ts';

export type EventStoreHooks = {
  /** A subscription failed: `stopped` when resubscribing cannot help (EventStoreDB only). */
  subscriptionFailed?: (outcome: 'resubscribed' | 'stopped') => void;
};

/**
 * Refuses an EVENTSTORE_URL its client cannot parse before anything starts (no database is
 * opened, nothing migrated): throws a ConfigurationError naming the variable.
 */
export const checkEventStoreUrl = async (env: Env): Promise<void> => {
  if (!env.EVENTSTORE_URL) return;
  const { clientFor } = await import('../../write/event-store/eventstoredb/connection-string.ts');
  clientFor(env.EVENTSTORE_URL);
};

/** EventStoreDB when EVENTSTORE_URL is set, otherwise the Postgres event store in the same database. */
export const openEventStore = async (
  env: Env,
  database: Database,
  logger: Logger,
  hooks: EventStoreHooks = {},
): Promise<EventStore> => {
  if (env.EVENTSTORE_URL) {
    const { createEventStoreDbStore } = await import('../../write/event-store/eventstoredb/store.ts');
    return createEventStoreDbStore(env.EVENTSTORE_URL, {
      logger: logger.child({ component: 'eventstoredb' }),
      onSubscriptionFailure: ({ permanent }) =>
        hooks.subscriptionFailed?.(permanent ? 'stopped' : 'resubscribed'),
    });
  }
  return createPostgresEventStore({
    pool: database.pool,
    schema: database.schema,
    listenConfig: database.listenConfig,
    logger: logger.child({ component: 'event-store' }),
  });
};
