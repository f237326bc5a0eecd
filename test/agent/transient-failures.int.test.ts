import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../write/event-store/port.ts';
import { countingMetrics, dm, type Harness, startHarness } from './harness.ts';

/** The store, except that reading a stream fails `times` times as a database refusing clients does. */
const refusingStore = (store: EventStore, times: number): EventStore & { refused: () => number } => {
  let refused = 0;
  return Object.assign(Object.create(store) as EventStore, {
    readStream: (...args: Parameters<EventStore['readStream']>) => {
      if (refused < times) {
        refused++;
        return Promise.reject(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }));
      }
      return store.readStream(...args);
    },
    refused: () => refused,
  });
};

describe('the agent through a database that refuses for a while', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('keeps trying past its attempt limit and answers, instead of passing the message over', async () => {
    const store = refusingStore(h.store, 10);
    const { metrics, eventFailures } = countingMetrics();
    const reactor = h.reactor({ name: 'refused', store, metrics, maxAttempts: 3, retryDelayMs: 5 });
    try {
      const conversation = dm();
      await h.say(conversation, 'm1', '価格が高いと言われました');
      await h.say(conversation, 'm2', '決裁者に会うにはどうすればいいですか？');
      const events = await h.waitFor(conversation.id, (all) =>
        all.some((e) => e.type === 'MessageReceived' && e.data.replyTo === 'm2'),
      );
      expect(store.refused()).toBe(10);
      const replies = events.flatMap((e) =>
        e.type === 'MessageReceived' && e.data.role === 'assistant' ? [e.data.replyTo] : [],
      );
      expect(replies).toEqual(['m1', 'm2']);
      expect(eventFailures).toEqual([]);
    } finally {
      await reactor.stop();
    }
  });
});
