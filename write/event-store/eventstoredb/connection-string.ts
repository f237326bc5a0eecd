import { EventStoreDBClient } from '@eventstore/db-client';
import { ConfigurationError } from '../../../schemas/config.ts';

/**
 * KurrentDB documents `kurrentdb://`, `kurrent://` and `kurrentdb+discover://` connection
 * strings; @eventstore/db-client 6 parses only `esdb://` and `esdb+discover://`, which mean the
 * same. The client is given the form it understands.
 */
export const clientConnectionString = (url: string): string =>
  url
    .trim()
    .replace(/^(?:kurrentdb|kurrent)(\+discover)?:\/\//i, (_, discover: string | undefined) =>
      discover ? 'esdb+discover://' : 'esdb://',
    );

/** A connection string the client refuses: one line naming the variable, never the string (it may hold a password). */
export const connectionStringError = (error: unknown): ConfigurationError => {
  const { expected, location } = error as { expected?: unknown; location?: unknown };
  const where =
    typeof expected === 'string' && Array.isArray(location)
      ? ` (at character ${String(location[0])}, expected ${expected})`
      : '';
  return new ConfigurationError(
    'EVENTSTORE_URL',
    `is not a connection string the EventStoreDB client accepts${where}; expected esdb://host:2113?tls=false or kurrentdb://host:2113?tls=false`,
  );
};

/** The client for a connection string (it connects on first use), or the configuration error. */
export const clientFor = (connectionString: string): EventStoreDBClient => {
  try {
    return EventStoreDBClient.connectionString(clientConnectionString(connectionString));
  } catch (error) {
    throw connectionStringError(error);
  }
};
