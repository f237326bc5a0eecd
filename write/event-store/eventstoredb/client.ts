import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Channel } from '@grpc/grpc-js';
import { clientFor } from './connection-string.ts';

export type OpenedClient = {
  readonly client: EventStoreDBClient;
  /** Ends the client's calls and closes every gRPC channel it opened. */
  close(): Promise<void>;
};

/**
 * The client for a connection string. `dispose()` only ends the client's calls: its gRPC
 * channel (a TCP connection with keepalive pings) stays open and keeps the process alive. The
 * channels it opens are noted here, through its (protected) channel factory, and closed.
 */
export const openClient = (connectionString: string): OpenedClient => {
  const client = clientFor(connectionString);
  const channels = new Set<Channel>();
  const internals = client as unknown as { getChannel: () => Promise<Channel> };
  const getChannel = internals.getChannel;
  internals.getChannel = async () => {
    const channel = await getChannel();
    channels.add(channel);
    return channel;
  };
  return {
    client,
    close: async () => {
      await client.dispose();
      for (const channel of channels) channel.close();
      channels.clear();
    },
  };
};
