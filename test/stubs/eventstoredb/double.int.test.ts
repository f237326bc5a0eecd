import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type Position,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  type SubscribeToAllOptions,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { useEventStoreDouble } from './fixture.ts';
import { type EventStoreDouble, startEventStoreDouble } from './server.ts';

/** The protocol as the real client sees it: what the double promises to behave like. */

const event = (type = 'Happened', data: Record<string, unknown> = {}) =>
  jsonEvent({ id: randomUUID(), type, data, metadata: { by: 'test' } });
type Filter = NonNullable<SubscribeToAllOptions['filter']>;
const name = (label: string) => `${label}-${randomUUID()}`;

const collect = async <T>(read: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of read) out.push(item);
  return out;
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('EventStoreDB test double: streams', () => {
  const double = useEventStoreDouble();

  it('advertises BatchAppend through ServerFeatures, and the client appends through it', async () => {
    await double.client.appendToStream(name('batch'), [event()]);
    expect(double.server.requests.batchAppend).toBeGreaterThanOrEqual(1);
    expect(double.server.requests.append).toBeUndefined();
  });

  it('appends, reporting the revision and the position of the last event', async () => {
    const stream = name('append');
    const result = await double.client.appendToStream(stream, [event('A'), event('B')], {
      expectedRevision: NO_STREAM,
    });
    expect(result.nextExpectedRevision).toBe(1n);
    const [last] = await collect(
      double.client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 }),
    );
    expect(last!.event!.position).toEqual(result.position);
    expect(last!.event!.type).toBe('B');
  });

  it('recognises a repeated append by its ids after an older expected revision; a partial repeat is refused', async () => {
    const stream = name('idempotent');
    const events = [event('A'), event('B')];
    const first = await double.client.appendToStream(stream, events, { expectedRevision: NO_STREAM });
    const again = await double.client.appendToStream(stream, events, { expectedRevision: NO_STREAM });
    expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
    const partial = await failure(
      double.client.appendToStream(stream, [events[0]!, event('C')], { expectedRevision: NO_STREAM }),
    );
    expect(partial).toBeInstanceOf(WrongExpectedVersionError);
    expect((partial as WrongExpectedVersionError).actualVersion).toBe(1n);
    expect(await collect(double.client.readStream(stream))).toHaveLength(2);
  });

  it('recognises a repeat with `any` only while the ids are in its cache of recent commits', async () => {
    const stream = name('any');
    const events = [event('A')];
    await double.client.appendToStream(stream, events);
    await double.client.appendToStream(stream, events);
    expect(await collect(double.client.readStream(stream))).toHaveLength(1);
    double.server.log.forgetRecentIds();
    await double.client.appendToStream(stream, events);
    expect(await collect(double.client.readStream(stream))).toHaveLength(2);
  });

  it('refuses an expected revision that is not the current one, naming the current one', async () => {
    const stream = name('expected');
    await double.client.appendToStream(stream, [event(), event()]);
    const wrong = await failure(double.client.appendToStream(stream, [event()], { expectedRevision: 5n }));
    expect(wrong).toBeInstanceOf(WrongExpectedVersionError);
    expect((wrong as WrongExpectedVersionError).actualVersion).toBe(1n);
    const missing = await failure(
      double.client.appendToStream(name('none'), [event()], { expectedRevision: 'stream_exists' }),
    );
    expect((missing as WrongExpectedVersionError).actualVersion).toBe('no_stream');
  });

  it('reads a stream forwards, backwards, from a revision, a count; a missing stream is not found', async () => {
    const stream = name('read');
    await double.client.appendToStream(
      stream,
      Array.from({ length: 6 }, (_, i) => event('N', { i })),
    );
    const revisions = async (options: Parameters<typeof double.client.readStream>[1]) =>
      (await collect(double.client.readStream(stream, options))).map((e) => e.event!.revision);
    expect(await revisions({})).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(await revisions({ direction: BACKWARDS, fromRevision: END, maxCount: 2 })).toEqual([5n, 4n]);
    expect(await revisions({ fromRevision: 3n, maxCount: 2 })).toEqual([3n, 4n]);
    expect(await revisions({ direction: BACKWARDS, fromRevision: 1n })).toEqual([1n, 0n]);
    expect(await failure(collect(double.client.readStream(name('missing'))))).toBeInstanceOf(
      StreamNotFoundError,
    );
  });

  it('soft delete hides a stream until it is written again after its last revision', async () => {
    const stream = name('soft');
    await double.client.appendToStream(stream, [event(), event()]);
    await double.client.deleteStream(stream);
    expect(await failure(collect(double.client.readStream(stream)))).toBeInstanceOf(StreamNotFoundError);
    const again = await double.client.appendToStream(stream, [event('Again')]);
    expect(again.nextExpectedRevision).toBe(2n);
    expect((await collect(double.client.readStream(stream))).map((e) => e.event!.type)).toEqual(['Again']);
    expect(await failure(double.client.deleteStream(stream, { expectedRevision: 0n }))).toBeInstanceOf(
      WrongExpectedVersionError,
    );
  });

  it('a tombstoned stream is deleted for reads and appends, for good', async () => {
    const stream = name('tombstone');
    await double.client.appendToStream(stream, [event()]);
    await double.client.tombstoneStream(stream);
    expect(await failure(collect(double.client.readStream(stream)))).toBeInstanceOf(StreamDeletedError);
    expect(await failure(double.client.appendToStream(stream, [event()]))).toBeInstanceOf(StreamDeletedError);
    expect(await failure(double.client.tombstoneStream(stream))).toBeInstanceOf(StreamDeletedError);
  });

  it('reads $all forwards from a position inclusively, backwards before it; an invalid position is refused', async () => {
    const stream = name('all');
    await double.client.appendToStream(stream, [event('A'), event('B'), event('C')]);
    const mine = async (options: Parameters<typeof double.client.readAll>[0]) =>
      (await collect(double.client.readAll(options))).filter((e) => e.event?.streamId === stream);
    const forwards = await mine({ fromPosition: START, direction: FORWARDS });
    expect(forwards.map((e) => e.event!.type)).toEqual(['A', 'B', 'C']);
    const fromB = forwards[1]!.event!.position!;
    expect((await mine({ fromPosition: fromB })).map((e) => e.event!.type)).toEqual(['B', 'C']);
    expect((await mine({ fromPosition: fromB, direction: BACKWARDS })).map((e) => e.event!.type)).toEqual([
      'A',
    ]);
    expect(
      (await mine({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })).map((e) => e.event!.type),
    ).toEqual(['C']);
    const invalid: Position = { commit: fromB.commit, prepare: fromB.prepare + 1n };
    expect(String(await failure(collect(double.client.readAll({ fromPosition: invalid }))))).toMatch(
      /invalid position/,
    );
    // The log holds system events too: the server's settings, stream metadata of deletes.
    const all = await collect(double.client.readAll({ fromPosition: START }));
    expect(all.some((e) => e.event!.type.startsWith('$'))).toBe(true);
  });
});

describe('EventStoreDB test double: $all subscriptions', () => {
  const double = useEventStoreDouble();

  it('filters on the server by event type, with checkpoints at the interval, caught-up, then live', async () => {
    const stream = name('filtered');
    const start = (
      await collect(double.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }))
    )[0]!.event!.position!;
    await double.client.appendToStream(stream, [
      event('Wanted'),
      ...Array.from({ length: 70 }, () => event('Other')),
      event('Wanted'),
    ]);
    const checkpoints: Position[] = [];
    let caughtUp = false;
    const subscription = double.client.subscribeToAll({
      fromPosition: start,
      filter: eventTypeFilter({
        prefixes: ['Wanted'],
        maxSearchWindow: 10,
        checkpointInterval: 2,
        checkpointReached: (_s, position) => {
          checkpoints.push(position);
        },
      }),
    });
    subscription.on('caughtUp', () => {
      caughtUp = true;
    });
    const seen: string[] = [];
    for await (const resolved of subscription) {
      seen.push(resolved.event!.type);
      if (seen.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(seen).toEqual(['Wanted', 'Wanted']);
    // 72 events considered, a checkpoint every 20: at 20, 40, 60, then one on reaching the end.
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < checkpoints.length; i++)
      expect(checkpoints[i]!.commit).toBeGreaterThanOrEqual(checkpoints[i - 1]!.commit);
    expect(caughtUp || checkpoints.length >= 3).toBe(true);
  });

  it('filters by stream name (prefix or regex) and excludes system events', async () => {
    const stream = name('regex');
    const start = (
      await collect(double.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }))
    )[0]!.event!.position!;
    await double.client.appendToStream(stream, [event('One')]);
    await double.client.deleteStream(stream); // writes $metadata to $$stream
    await double.client.appendToStream(`other-${stream}`, [event('Two')]);
    const types = async (filter: Filter, count: number) => {
      const subscription = double.client.subscribeToAll({ fromPosition: start, filter });
      const seen: string[] = [];
      for await (const resolved of subscription) {
        seen.push(`${resolved.event!.streamId}:${resolved.event!.type}`);
        if (seen.length === count) break;
      }
      await subscription.unsubscribe();
      return seen;
    };
    expect(await types(streamNameFilter({ prefixes: ['regex-'] }), 1)).toEqual([`${stream}:One`]);
    expect(await types(streamNameFilter({ regex: '^\\$\\$regex-' }), 1)).toEqual([`$$${stream}:$metadata`]);
    expect(await types(excludeSystemEvents(), 2)).toEqual([`${stream}:One`, `other-${stream}:Two`]);
  });
});

describe('EventStoreDB test double: server shapes', () => {
  let server: EventStoreDouble | undefined;
  let client: EventStoreDBClient | undefined;
  afterEach(async () => {
    await client?.dispose();
    await server?.stop();
  });

  it('before 22.6, events read from a stream carry −1/−1 positions; $all reads carry real ones', async () => {
    server = await startEventStoreDouble({ legacyPositions: true });
    client = EventStoreDBClient.connectionString(server.url);
    const stream = name('legacy');
    const result = await client.appendToStream(stream, [event()]);
    const [read] = await collect(client.readStream(stream));
    expect(read!.event!.position).toEqual({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n });
    expect(read!.commitPosition).toBeUndefined();
    const [fromAll] = (await collect(client.readAll())).filter((e) => e.event?.streamId === stream);
    expect(fromAll!.event!.position).toEqual(result.position);
  });

  it('without BatchAppend advertised, the client appends with Append', async () => {
    server = await startEventStoreDouble({ batchAppend: false, serverVersion: '21.6.0' });
    client = EventStoreDBClient.connectionString(server.url);
    await client.appendToStream(name('plain'), [event()]);
    expect(server.requests.append).toBe(1);
    expect(server.requests.batchAppend).toBeUndefined();
  });

  it('aborts a live subscription whose consumer falls too far behind (slowConsumer: abort)', async () => {
    server = await startEventStoreDouble({ slowConsumer: 'abort', maxLiveBuffer: 5 });
    client = EventStoreDBClient.connectionString(server.url);
    const subscription = client.subscribeToAll({ fromPosition: END }, { highWaterMark: 1 });
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    // Nobody reads the subscription: what the server holds for it grows until it gives up.
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 500 && server.droppedSubscriptions === 0; i++)
      await client.appendToStream(name('flood'), [event('Big', { big })]);
    expect(server.droppedSubscriptions).toBe(1);
    // The client learns it after reading what was already on its way.
    expect(String(await failure(collect(subscription)))).toMatch(/consumer too slow/);
  });
});
