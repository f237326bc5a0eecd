import { EventStoreDBClient } from '@eventstore/db-client';
import { afterAll, beforeAll } from 'vitest';
import { type EventStoreDouble, type EventStoreDoubleOptions, startEventStoreDouble } from './server.ts';

/**
 * A double started before the tests of a `describe` and a raw client connected to it, both
 * stopped after them. Read `server` and `client` inside the tests.
 */
export const useEventStoreDouble = (options: EventStoreDoubleOptions = {}) => {
  const context = {} as { server: EventStoreDouble; client: EventStoreDBClient };
  beforeAll(async () => {
    context.server = await startEventStoreDouble(options);
    context.client = EventStoreDBClient.connectionString(context.server.url);
  });
  afterAll(async () => {
    await context.client.dispose();
    await context.server.stop();
  });
  return context;
};
