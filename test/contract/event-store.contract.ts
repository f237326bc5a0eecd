import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError } from '../../schemas/errors.ts';
import {
  comparePositions,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
  START,
} from '../../write/event-store/port.ts';

type Setup = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

export type ContractOptions = {
  /**
   * Whether events read from a stream carry their position in all events. EventStoreDB before
   * 22.6 does not know it there (the adapter then reports START, "not after anything").
   */
  readonly streamReadPositions?: boolean;
};

const event = (type: string, data: unknown, extra: Partial<EventToAppend> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  version: 1,
  data,
  metadata: { correlationId: 'c-1', actor: { kind: 'user', id: 'U123' } },
  ...extra,
});

const collect = async (
  store: EventStore,
  after: Position,
  until: (seen: RecordedEvent[]) => boolean,
  filter: (e: RecordedEvent) => boolean,
  timeoutMs = 10_000,
) => {
  const subscription = store.subscribeToAll({ after, batchSize: 50 });
  const seen: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const e of subscription) {
      if (filter(e)) seen.push(e);
      if (until(seen)) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.close();
  }
  return seen;
};

/**
 * One contract for every event store adapter. Streams get random names, so the suite can run
 * against a shared server; reads of all events start from the head position taken first.
 */
export const describeEventStoreContract = (name: string, setup: Setup, options: ContractOptions = {}) => {
  describe(`${name}: event store contract`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    const stream = (label: string) => `contract-${label}-${randomUUID()}`;

    beforeAll(async () => {
      ({ store, cleanup } = await setup());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('appends to a new stream and reads it back in order, with types, versions, data and metadata', async () => {
      const id = stream('roundtrip');
      const events = [
        event('SessionStarted', { n: 0, text: '日本語のテキスト' }),
        event('MessageReceived', { n: 1, nested: { list: [1, 2, 3] } }, { version: 2 }),
        event('SessionEnded', { n: 2 }),
      ];
      const result = await store.append(id, events, 'no_stream');
      expect(result.nextRevision).toBe(2n);
      expect(result.duplicate).toBe(false);

      const read = await store.readStream(id);
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.type)).toEqual(['SessionStarted', 'MessageReceived', 'SessionEnded']);
      expect(read[1]!.version).toBe(2);
      expect(read[0]!.data).toEqual({ n: 0, text: '日本語のテキスト' });
      expect(read[1]!.metadata).toEqual(events[1]!.metadata);
      expect(read.every((e) => e.streamId === id)).toBe(true);
      expect(read[0]!.createdAt).toBeInstanceOf(Date);
      if (options.streamReadPositions ?? true)
        expect(comparePositions(read[2]!.position, result.position)).toBe(0);
      else expect(read.every((e) => comparePositions(e.position, START) === 0)).toBe(true);
    });

    it('returns an empty list for a stream that does not exist', async () => {
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('checks the expected revision', async () => {
      const id = stream('expected');
      await expect(store.append(id, [event('A', {})], 'stream_exists')).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await store.append(id, [event('A', {})], 'no_stream');
      await expect(store.append(id, [event('B', {})], 'no_stream')).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      const wrong = await store.append(id, [event('B', {})], 5n).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
      expect((wrong as WrongExpectedRevisionError).actual).toBe(0n);
      const next = await store.append(id, [event('B', {})], 0n);
      expect(next.nextRevision).toBe(1n);
      const any = await store.append(id, [event('C', {})], 'any');
      expect(any.nextRevision).toBe(2n);
      const exists = await store.append(id, [event('D', {})], 'stream_exists');
      expect(exists.nextRevision).toBe(3n);
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('treats an expected revision of -1 as no stream, and a lower one as wrong', async () => {
      const id = stream('minus-one');
      expect((await store.append(id, [event('A', {})], -1n)).nextRevision).toBe(0n);
      const again = await store.append(id, [event('B', {})], -1n).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(WrongExpectedRevisionError);
      expect((again as WrongExpectedRevisionError).actual).toBe(0n);
      const lower = await store.append(id, [event('C', {})], -3n).catch((e: unknown) => e);
      expect(lower).toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('lets exactly one of two racing appends with the same expected revision win', async () => {
      const id = stream('race');
      await store.append(id, [event('A', {})], 'no_stream');
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => store.append(id, [event('B', { i })], 0n)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('treats a repeated append of the same event ids as done, even with a stale expected revision', async () => {
      const id = stream('idempotent');
      const events = [event('A', { k: 1 }), event('B', { k: 2 })];
      const first = await store.append(id, events, 'no_stream');
      const again = await store.append(id, events, 'no_stream');
      expect(again.duplicate).toBe(true);
      expect(again.nextRevision).toBe(first.nextRevision);
      const anyAgain = await store.append(id, events, 'any');
      expect(anyAgain.duplicate).toBe(true);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('reads a stream backwards, from a revision, and a limited count', async () => {
      const id = stream('ranges');
      await store.append(
        id,
        Array.from({ length: 10 }, (_, i) => event('N', { i })),
        'no_stream',
      );
      const backwards = await store.readStream(id, { direction: 'backwards', maxCount: 3 });
      expect(backwards.map((e) => e.revision)).toEqual([9n, 8n, 7n]);
      const from = await store.readStream(id, { fromRevision: 4n, maxCount: 2 });
      expect(from.map((e) => e.revision)).toEqual([4n, 5n]);
      const backFrom = await store.readStream(id, { fromRevision: 4n, direction: 'backwards' });
      expect(backFrom.map((e) => e.revision)).toEqual([4n, 3n, 2n, 1n, 0n]);
    });

    it('reads all events after a position, exclusively, in increasing positions', async () => {
      const head = await store.headPosition();
      const a = stream('all-a');
      const b = stream('all-b');
      await store.append(a, [event('A1', {}), event('A2', {})]);
      await store.append(b, [event('B1', {})]);
      await store.append(a, [event('A3', {})]);
      const mine = (e: RecordedEvent) => e.streamId === a || e.streamId === b;
      let read: RecordedEvent[] = [];
      for (let tries = 0; tries < 50 && read.length < 4; tries++) {
        read = (await store.readAll({ after: head, maxCount: 1000 })).filter(mine);
        if (read.length < 4) await new Promise((r) => setTimeout(r, 100));
      }
      expect(read.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
      for (let i = 1; i < read.length; i++)
        expect(comparePositions(read[i - 1]!.position, read[i]!.position)).toBe(-1);
      const afterSecond = (await store.readAll({ after: read[1]!.position, maxCount: 1000 })).filter(mine);
      expect(afterSecond.map((e) => e.type)).toEqual(['B1', 'A3']);
      const limited = await store.readAll({ after: head, maxCount: 2 });
      expect(limited.length).toBeLessThanOrEqual(2);
    });

    it('reads and subscribes to only the event types asked for', async () => {
      const head = await store.headPosition();
      const id = stream('types');
      await store.append(id, [
        event('Keep', { n: 1 }),
        event('Skip', {}),
        event('Skip', {}),
        event('Keep', { n: 2 }),
      ]);
      let read: RecordedEvent[] = [];
      for (let tries = 0; tries < 50 && read.length < 2; tries++) {
        read = (await store.readAll({ after: head, maxCount: 1000, types: ['Keep'] })).filter(
          (e) => e.streamId === id,
        );
        if (read.length < 2) await new Promise((r) => setTimeout(r, 100));
      }
      expect(read.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      const limited = (await store.readAll({ after: head, maxCount: 1, types: ['Keep'] })).filter(
        (e) => e.streamId === id,
      );
      expect(limited.length).toBeLessThanOrEqual(1);

      const subscription = store.subscribeToAll({ after: head, types: ['Keep'] });
      const seen: RecordedEvent[] = [];
      for await (const e of subscription) {
        if (e.streamId === id) seen.push(e);
        expect(e.type).toBe('Keep');
        if (seen.length === 2) break;
      }
      await subscription.close();
      expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      if (store.countEventsAfter) {
        expect(await store.countEventsAfter(read[0]!.position, 1000, ['Keep'])).toBeGreaterThanOrEqual(1);
      }
    });

    it('reports the head position of the newest event', async () => {
      const id = stream('head');
      const result = await store.append(id, [event('H', {})]);
      let head: Position = START;
      for (let tries = 0; tries < 50 && comparePositions(head, result.position) < 0; tries++) {
        head = await store.headPosition();
        if (comparePositions(head, result.position) < 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(comparePositions(head, result.position)).toBeGreaterThanOrEqual(0);
    });

    it('subscribes: catches up, then delivers live events, then resumes after a checkpoint without repeats', async () => {
      const head = await store.headPosition();
      const id = stream('subscribe');
      const mine = (e: RecordedEvent) => e.streamId === id;
      await store.append(id, [event('Old1', {}), event('Old2', {})]);

      const live = collect(store, head, (seen) => seen.length >= 4, mine);
      await new Promise((r) => setTimeout(r, 200));
      await store.append(id, [event('New1', {})]);
      await store.append(id, [event('New2', {})]);
      const seen = await live;
      expect(seen.map((e) => e.type)).toEqual(['Old1', 'Old2', 'New1', 'New2']);

      const resumed = await collect(store, seen[1]!.position, (s) => s.length >= 2, mine);
      expect(resumed.map((e) => e.type)).toEqual(['New1', 'New2']);
    });

    it('ends a subscription on close and on abort', async () => {
      const controller = new AbortController();
      const subscription = store.subscribeToAll({
        after: await store.headPosition(),
        signal: controller.signal,
      });
      const iterating = (async () => {
        for await (const _ of subscription) {
          // nothing new is appended by this test
        }
        return 'ended';
      })();
      setTimeout(() => controller.abort(), 100);
      expect(await iterating).toBe('ended');
      await subscription.close();
    });

    it('reports health with a latency', async () => {
      const health = await store.health();
      expect(health.ok).toBe(true);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });
};
