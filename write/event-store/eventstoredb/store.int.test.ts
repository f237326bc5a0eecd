import { describe, it } from 'vitest';
import { describeEventStoreContract } from '../../../test/contract/event-store.contract.ts';
import { createEventStoreDbStore } from './store.ts';

const url = process.env.EVENTSTORE_URL;

if (url) {
  // Streams in the contract have random names, so a shared server is fine.
  describeEventStoreContract('EventStoreDB', async () => {
    const store = createEventStoreDbStore(url);
    return { store, cleanup: () => store.close() };
  });
} else {
  const reason = 'EventStoreDB contract (not run: EVENTSTORE_URL is not set)';
  console.warn(reason);
  describe.skip(reason, () => {
    it('passes the event store contract against a real server', () => {});
  });
}
