import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../schemas/config.ts';
import { AppError, WrongExpectedRevisionError } from '../../../schemas/errors.ts';
import { waitFor } from '../../../test/helpers/wait.ts';
import { useEventStoreDouble } from '../../../test/stubs/eventstoredb/fixture.ts';
import { type EventStoreDouble, startEventStoreDouble } from '../../../test/stubs/eventstoredb/server.ts';
import { comparePositions, type EventToAppend, type Position, type RecordedEvent } from '../port.ts';
import { clientConnectionString } from './connection-string.ts';
import { createEventStoreDbStore } from './store.ts';
import type { SubscriptionFailure } from './subscription.ts';

/** The adapter against the server's behaviours, through the real client and real gRPC. */

const event = (type: string, data: Record<string, unknown> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  version: 1,
  data,
  metadata: {},
});
const stream = (label: string) => `${label}-${randomUUID()}`;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const quiet = { warn: () => {}, error: () => {} };

describe('EventStoreDB adapter: connection strings', () => {
  it('gives the client the esdb form of KurrentDB connection strings', () => {
    expect(clientConnectionString('kurrentdb://h:2113?tls=false')).toBe('esdb://h:2113?tls=false');
    expect(clientConnectionString('kurrent://u:p@h:2113')).toBe('esdb://u:p@h:2113');
    expect(clientConnectionString('kurrentdb+discover://h:2113')).toBe('esdb+discover://h:2113');
    expect(clientConnectionString('esdb://h:2113')).toBe('esdb://h:2113');
  });

  it('runs on a kurrentdb:// connection string', async () => {
    const server = await startEventStoreDouble();
    const store = createEventStoreDbStore(server.url.replace('esdb://', 'kurrentdb://'));
    try {
      const id = stream('kurrent');
      await store.append(id, [event('A')], 'no_stream');
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A']);
    } finally {
      await store.close();
      await server.stop();
    }
  });

  it('refuses a connection string the client cannot parse with one line naming EVENTSTORE_URL, without the string', () => {
    const error = failure(
      Promise.resolve().then(() => createEventStoreDbStore('esdb://user:secret@h:2113?tls=maybe')),
    );
    return error.then((e) => {
      expect(e).toBeInstanceOf(ConfigurationError);
      const message = (e as Error).message;
      expect(message).toMatch(/^Invalid configuration: EVENTSTORE_URL /);
      expect(message).not.toContain('\n');
      expect(message).not.toContain('secret');
    });
  });
});

describe('EventStoreDB adapter: writes', () => {
  const double = useEventStoreDouble();

  it('refuses an append to a tombstoned or soft-deleted stream with an AppError; reads see no events', async () => {
    const store = createEventStoreDbStore(double.server.url);
    try {
      const gone = stream('tombstoned');
      await store.append(gone, [event('A')]);
      await double.client.tombstoneStream(gone);
      const refused = await failure(store.append(gone, [event('B')]));
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('CONFLICT');
      expect((refused as AppError).message).toContain('deleted');
      expect(await store.readStream(gone)).toEqual([]);

      const soft = stream('soft-deleted');
      await store.append(soft, [event('A')]);
      await double.client.deleteStream(soft);
      expect(await store.readStream(soft)).toEqual([]);
      const exists = await failure(store.append(soft, [event('B')], 'stream_exists'));
      expect(exists).toBeInstanceOf(AppError);
      expect((exists as AppError).code).toBe('CONFLICT');
    } finally {
      await store.close();
    }
  });

  it('treats -1 as no stream and refuses lower revisions as wrong, without crashing in the client', async () => {
    const store = createEventStoreDbStore(double.server.url);
    try {
      const id = stream('negative');
      expect((await store.append(id, [event('A')], -1n)).nextRevision).toBe(0n);
      const again = await failure(store.append(id, [event('B')], -1n));
      expect(again).toBeInstanceOf(WrongExpectedRevisionError);
      expect((again as WrongExpectedRevisionError).actual).toBe(0n);
      const lower = await failure(store.append(id, [event('C')], -5n));
      expect(lower).toBeInstanceOf(WrongExpectedRevisionError);
      expect((lower as WrongExpectedRevisionError).actual).toBe(0n);
    } finally {
      await store.close();
    }
  });

  it('reports the actual revision of a refused append when the connection sets throwOnAppendFailure=false', async () => {
    const store = createEventStoreDbStore(`${double.server.url}&throwOnAppendFailure=false`);
    try {
      const id = stream('no-throw');
      await store.append(id, [event('A'), event('B'), event('C'), event('D'), event('E')]);
      const wrong = await failure(store.append(id, [event('F')], 1n));
      expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
      expect((wrong as WrongExpectedRevisionError).actual).toBe(4n);
    } finally {
      await store.close();
    }
  });
});

describe('EventStoreDB adapter: servers before 22.6 (no positions on stream reads)', () => {
  it('reports the position of an appended event as $all has it, never 2^64-1', async () => {
    const server = await startEventStoreDouble({ legacyPositions: true });
    const store = createEventStoreDbStore(server.url);
    try {
      const id = stream('legacy');
      const result = await store.append(id, [event('A'), event('B')]);
      const inAll = (await store.readAll({ maxCount: 1000 })).filter((e) => e.streamId === id);
      expect(inAll.map((e) => e.type)).toEqual(['A', 'B']);
      expect(result.position).toEqual(inAll[1]!.position);
      for (const read of await store.readStream(id)) expect(read.position.commit).toBeLessThan(2n ** 63n);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

describe('EventStoreDB adapter: subscriptions and reads of $all', () => {
  let server: EventStoreDouble;
  afterEach(async () => {
    await server?.stop();
  });

  const head = async (url: string): Promise<Position> => {
    const store = createEventStoreDbStore(url);
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  };

  it('filters event types on the server, for subscriptions and for readAll', async () => {
    server = await startEventStoreDouble();
    const store = createEventStoreDbStore(server.url);
    try {
      const id = stream('types');
      const from = await store.headPosition();
      await store.append(id, [event('Keep', { n: 1 }), ...Array.from({ length: 300 }, () => event('Skip'))]);
      await store.append(id, [event('Keep', { n: 2 })]);
      const sentBefore = server.allEventsSent.count;
      const read = await store.readAll({ after: from, types: ['Keep'], maxCount: 100 });
      expect(read.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(server.allEventsSent.count - sentBefore).toBeLessThan(10);

      const subscription = store.subscribeToAll({ after: from, types: ['Keep'] });
      const seen: unknown[] = [];
      for await (const e of subscription) {
        seen.push(e.data);
        if (seen.length === 2) break;
      }
      await subscription.close();
      expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
      expect(server.allEventsSent.count - sentBefore).toBeLessThan(20);
    } finally {
      await store.close();
    }
  });

  it('resumes after the last checkpoint, not the last event, across a long stretch of filtered-out records', async () => {
    server = await startEventStoreDouble();
    const store = createEventStoreDbStore(server.url, { logger: quiet });
    try {
      const from = await head(server.url);
      const id = stream('stretch');
      const kept = await store.append(id, [event('Keep')]);
      for (let i = 0; i < 300; i++) server.log.appendSystem(`$stats-${i % 3}`, '$statsCollected', { i });
      const subscription = store.subscribeToAll({ after: from });
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value?.type).toBe('Keep');
      const beyondKept = (start: string | undefined) => {
        if (!start || start === 'start' || start === 'end') return false;
        const [commit, prepare] = start.split('/').map(BigInt) as [bigint, bigint];
        return comparePositions({ commit, prepare }, kept.position) > 0;
      };
      // Each cut makes the subscription resume: from past the stretch once a checkpoint covered it.
      await waitFor(
        () => {
          if (beyondKept(server.subscriptionStarts.at(-1))) return true;
          server.dropConnections();
          return false;
        },
        20_000,
        200,
      );
      await subscription.close();
    } finally {
      await store.close();
    }
  });

  it('ends a subscription the server refuses for good, and says so in health and to the failure hook', async () => {
    server = await startEventStoreDouble();
    const failures: SubscriptionFailure[] = [];
    const store = createEventStoreDbStore(server.url, {
      logger: quiet,
      onSubscriptionFailure: (f) => failures.push(f),
    });
    try {
      const real = await head(server.url);
      const invalid = { commit: real.commit, prepare: real.prepare + 1n };
      const subscription = store.subscribeToAll({ after: invalid });
      const error = await failure(
        (async () => {
          for await (const _ of subscription) {
            // nothing is delivered
          }
        })(),
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(/invalid position/);
      expect(failures.map((f) => f.permanent)).toEqual([true]);
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toMatch(/subscription/);

      server.denyReads = true;
      const denied = store.subscribeToAll({});
      expect(await failure(denied[Symbol.asyncIterator]().next())).toBeInstanceOf(AppError);
      expect(failures.map((f) => f.permanent)).toEqual([true, true]);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['drops it (older servers)', 'abort' as const],
    ['says it fell behind and catches it up (since 23.10)', 'catch-up' as const],
  ])(
    'delivers every event once, in order, to a consumer too slow for the server, which %s',
    async (_, slowConsumer) => {
      server = await startEventStoreDouble({ slowConsumer, maxLiveBuffer: 5 });
      const failures: SubscriptionFailure[] = [];
      const store = createEventStoreDbStore(server.url, {
        logger: quiet,
        onSubscriptionFailure: (f) => failures.push(f),
      });
      try {
        const from = await store.headPosition();
        const subscription = store.subscribeToAll({ after: from, batchSize: 1 });
        const iterator = subscription[Symbol.asyncIterator]();
        const id = stream('slow');
        const big = 'x'.repeat(32 * 1024);
        await store.append(id, [event('N', { n: 0 })]);
        const seen: RecordedEvent[] = [(await iterator.next()).value];
        // The consumer stops reading while events pour in, more than the server buffers for it.
        const behind = () => (slowConsumer === 'abort' ? server.droppedSubscriptions : server.fellBehind);
        let n = 1;
        while (behind() === 0 && n < 2000) await store.append(id, [event('N', { n: n++, big })]);
        expect(behind()).toBeGreaterThanOrEqual(1);
        while (seen.length < n) seen.push((await iterator.next()).value);
        await subscription.close();
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: n }, (_, i) => i));
        // Dropped, it resubscribed; caught up by the server, it never noticed.
        expect(failures.some((f) => !f.permanent)).toBe(slowConsumer === 'abort');
      } finally {
        await store.close();
      }
    },
  );
});

describe('EventStoreDB adapter: what it leaves behind', () => {
  it('cancels the read of a health check that timed out, and close() closes the connection', async () => {
    const server = await startEventStoreDouble();
    const store = createEventStoreDbStore(server.url, { healthTimeoutMs: 2000 });
    try {
      await store.headPosition(); // connected
      expect((await store.health()).ok).toBe(true);
      server.stallReads = true;
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toMatch(/no answer/);
      await waitFor(() => server.openCalls() === 0);
      expect(server.connections()).toBe(1);
      await store.close();
      await waitFor(() => server.connections() === 0);
    } finally {
      await server.stop();
    }
  });
});
