import { describeEventStoreContract } from '../../../test/contract/event-store.contract.ts';
import {
  type EventStoreDoubleOptions,
  startEventStoreDouble,
} from '../../../test/stubs/eventstoredb/server.ts';
import { createEventStoreDbStore } from './store.ts';

/** The real client over real gRPC against the wire-level test double. */
const onDouble = (options: EventStoreDoubleOptions) => async () => {
  const server = await startEventStoreDouble(options);
  const store = createEventStoreDbStore(server.url);
  const cleanup = async () => {
    await store.close();
    await server.stop();
  };
  return { store, cleanup };
};

// Each server shape the adapter supports.
describeEventStoreContract('EventStoreDB (test double, 24.10)', onDouble({}));
describeEventStoreContract(
  'EventStoreDB (test double, 22.4: stream reads without positions, no caught-up message)',
  onDouble({ legacyPositions: true }),
  { streamReadPositions: false },
);
describeEventStoreContract(
  'EventStoreDB (test double, 21.6: Append only, no BatchAppend)',
  onDouble({ batchAppend: false, serverVersion: '21.6.0' }),
);

// And a real server when one is given (streams in the contract have random names).
const url = process.env.EVENTSTORE_URL;
if (url) {
  describeEventStoreContract(`EventStoreDB at ${url}`, async () => {
    const store = createEventStoreDbStore(url);
    return { store, cleanup: () => store.close() };
  });
}
