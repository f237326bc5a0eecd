import { randomUUID } from 'node:crypto';
import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../schemas/errors.ts';
import { AsyncQueue } from '../async-queue.ts';
import { type Position, type RecordedEvent, START } from '../port.ts';
import { matchStored } from './duplicates.ts';
import { expectedRevisionToString, toClientExpectedRevision } from './expected-revision.ts';
import { exactTypes } from './filters.ts';
import { packMetadata, schemaVersionKey, unpackMetadata } from './metadata.ts';
import { exclusiveBound, isAfter, isUserEvent } from './positions.ts';
import {
  type EsdbResolved,
  fromStreamRead,
  NO_POSITION,
  newestUserPosition,
  positionOf,
  toEventData,
} from './records.ts';
import {
  reconnectingSubscription,
  type SubscriptionFailure,
  type SubscriptionSource,
} from './subscription.ts';

const pos = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

const resolved = (
  n: number,
  extra: { streamId?: string; type?: string; metadata?: unknown; id?: string } = {},
): EsdbResolved => ({
  event: {
    streamId: extra.streamId ?? 'session-1',
    id: extra.id ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    revision: BigInt(n),
    type: extra.type ?? 'MessageReceived',
    created: new Date(Date.UTC(2026, 0, 1)),
    data: { n },
    metadata: 'metadata' in extra ? extra.metadata : { [schemaVersionKey]: 2, correlationId: 'c-1' },
    position: pos(n),
  },
  commitPosition: BigInt(n),
});

const recorded = (id: string, revision: bigint): RecordedEvent => ({
  id,
  streamId: 's',
  revision,
  position: pos(Number(revision) + 1),
  type: 'T',
  version: 1,
  data: {},
  metadata: {},
  createdAt: new Date(0),
});

describe('expected revision mapping', () => {
  it('maps each case to the client constant, and bigints as they are', () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
  });

  it('spells the expected revision as the Postgres store does', () => {
    expect(expectedRevisionToString(7n)).toBe('7');
    expect(expectedRevisionToString('no_stream')).toBe('no_stream');
  });
});

describe('schema version in metadata', () => {
  it('round-trips the version and leaves the metadata exactly as appended', () => {
    const metadata = { correlationId: 'c-1', actor: { kind: 'user', id: 'U1' }, list: [1, 2] };
    const packed = packMetadata(3, metadata);
    expect(packed[schemaVersionKey]).toBe(3);
    expect(metadata).not.toHaveProperty(schemaVersionKey);
    const unpacked = unpackMetadata(JSON.parse(JSON.stringify(packed)));
    expect(unpacked).toEqual({ version: 3, metadata });
    expect(unpacked.metadata).not.toHaveProperty(schemaVersionKey);
  });

  it('refuses metadata that already uses the reserved key', () => {
    expect(() => packMetadata(1, { [schemaVersionKey]: 9 })).toThrow(AppError);
  });

  it('reads events written by other tools as version 1', () => {
    expect(unpackMetadata(undefined)).toEqual({ version: 1, metadata: {} });
    expect(unpackMetadata(new Uint8Array([1, 2]))).toEqual({ version: 1, metadata: {} });
    expect(unpackMetadata(['a'])).toEqual({ version: 1, metadata: {} });
    expect(unpackMetadata({ a: 1 })).toEqual({ version: 1, metadata: { a: 1 } });
    expect(unpackMetadata({ [schemaVersionKey]: 'x', a: 1 })).toEqual({ version: 1, metadata: { a: 1 } });
  });

  it('builds JSON event data with the event id and the packed metadata', () => {
    const id = randomUUID();
    const data = toEventData({ id, type: 'SessionStarted', version: 2, data: { n: 1 }, metadata: { c: 1 } });
    expect(data).toMatchObject({
      id,
      type: 'SessionStarted',
      contentType: 'application/json',
      data: { n: 1 },
      metadata: { c: 1, [schemaVersionKey]: 2 },
    });
  });
});

describe('positions and system events', () => {
  it('treats START as no bound and anything else as an exclusive one', () => {
    expect(exclusiveBound(undefined)).toBeUndefined();
    expect(exclusiveBound(START)).toBeUndefined();
    expect(exclusiveBound(pos(5))).toEqual(pos(5));
    expect(isAfter(pos(5), undefined)).toBe(true);
    expect(isAfter(pos(5), pos(5))).toBe(false);
    expect(isAfter({ commit: 5n, prepare: 6n }, pos(5))).toBe(true);
    expect(isAfter(pos(4), pos(5))).toBe(false);
  });

  it('knows system events by their type or their stream', () => {
    expect(isUserEvent('session-1', 'MessageReceived')).toBe(true);
    expect(isUserEvent('session-1', '$>')).toBe(false);
    expect(isUserEvent('$$session-1', '$metadata')).toBe(false);
    expect(isUserEvent('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(false);
  });
});

describe('reading pages of $all', () => {
  it('finds the newest user event walking backwards, skipping the bound and system events', () => {
    const page = [resolved(9), resolved(8, { type: '$scavenge' }), resolved(7)];
    expect(newestUserPosition(page, undefined).found).toEqual(pos(9));
    expect(newestUserPosition(page, pos(9)).found).toEqual(pos(7));
    expect(newestUserPosition([resolved(8, { type: '$x' })], undefined)).toEqual({
      found: undefined,
      lastSeen: pos(8),
    });
  });

  it('falls back to the commit position on servers that send no event position', () => {
    const old: EsdbResolved = { event: { ...resolved(3).event!, position: undefined }, commitPosition: 42n };
    expect(fromStreamRead([old])[0]!.position).toEqual(pos(42));
  });

  it('takes −1/−1 (2^64−1, servers before 22.6) for no position: START, never "after everything"', () => {
    const none = { commit: NO_POSITION, prepare: NO_POSITION };
    const old: EsdbResolved = { event: { ...resolved(3).event!, position: none } };
    expect(positionOf(old)).toBeUndefined();
    expect(positionOf({ ...old, commitPosition: 42n })).toEqual(pos(42));
    expect(positionOf({ ...old, commitPosition: NO_POSITION })).toBeUndefined();
    expect(fromStreamRead([old])[0]!.position).toEqual(START);
  });
});

describe('recognising a repeated append', () => {
  const stored = [recorded('c', 4n), recorded('b', 3n), recorded('a', 2n)];

  it('reports all ids stored, with the newest of them', () => {
    const match = matchStored(stored, ['a', 'b']);
    expect(match.kind).toBe('all');
    expect(match.kind === 'all' && match.last.revision).toBe(3n);
  });

  it('tells none from some', () => {
    expect(matchStored(stored, ['x', 'y']).kind).toBe('none');
    expect(matchStored(stored, ['c', 'y']).kind).toBe('some');
    expect(matchStored([], ['a']).kind).toBe('none');
  });
});

/** A stand-in for one gRPC subscription: the test pushes events or fails it. */
class FakeSource implements SubscriptionSource {
  readonly after: Position | undefined;
  readonly queue = new AsyncQueue<EsdbResolved>();
  destroyed = false;
  pushed = 0;
  private confirm: (() => void) | undefined;
  readonly checkpoint: (position: Position) => void;

  constructor(after: Position | undefined, checkpoint: (position: Position) => void = () => {}) {
    this.after = after;
    this.checkpoint = checkpoint;
  }
  received() {
    return this.pushed;
  }
  /** Like the client: the event is received (and counted) before it can be read. */
  async send(event: EsdbResolved) {
    this.pushed++;
    await this.queue.push(event);
  }
  [Symbol.asyncIterator]() {
    return this.queue[Symbol.asyncIterator]();
  }
  async unsubscribe() {}
  destroy() {
    this.destroyed = true;
    this.queue.end();
  }
  once(_event: 'confirmation', listener: () => void) {
    this.confirm = listener;
    return this;
  }
  confirmed() {
    this.confirm?.();
  }
  /** Like the server: from a position, events after it; the replay may include the one at it. */
  async replay(from: number, to: number) {
    for (let n = from; n <= to; n++) await this.send(resolved(n));
  }
}

const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
const logger = {
  warn: (obj: object, msg: string) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
  error: (obj: object, msg: string) =>
    warnings.push({ obj: obj as Record<string, unknown>, msg: `ERROR ${msg}` }),
};

const take = async (iterable: AsyncIterable<RecordedEvent>, count: number) => {
  const out: RecordedEvent[] = [];
  for await (const event of iterable) {
    out.push(event);
    if (out.length >= count) break;
  }
  return out;
};

describe('reconnecting subscription', () => {
  it('starts after the given position, resubscribes from the last delivered one, never twice, never skipping', async () => {
    warnings.length = 0;
    const sources: FakeSource[] = [];
    const subscription = reconnectingSubscription(
      (after) => {
        const source = new FakeSource(after);
        sources.push(source);
        return source;
      },
      { after: pos(2), logger, minBackoffMs: 1, maxBackoffMs: 4 },
    );
    const reading = take(subscription, 6);

    await new Promise((r) => setTimeout(r, 5));
    expect(sources[0]!.after).toEqual(pos(2));
    await sources[0]!.replay(2, 4); // 2 is the checkpoint itself: dropped
    sources[0]!.queue.end(new Error('14 UNAVAILABLE: Connection dropped'));

    await new Promise((r) => setTimeout(r, 20));
    expect(sources[1]!.after).toEqual(pos(4));
    await sources[1]!.replay(3, 6); // a server replaying too far back: 3 and 4 are dropped
    sources[1]!.queue.end(); // ended by the server without an error

    await new Promise((r) => setTimeout(r, 20));
    expect(sources[2]!.after).toEqual(pos(6));
    await sources[2]!.replay(7, 8);

    const seen = await reading;
    await subscription.close();
    expect(seen.map((e) => Number(e.position.commit))).toEqual([3, 4, 5, 6, 7, 8]);
    expect(warnings.map((w) => w.msg)).toEqual([
      'EventStoreDB subscription dropped; resubscribing',
      'EventStoreDB subscription ended by the server; resubscribing',
    ]);
    expect(warnings[0]!.obj).toMatchObject({ after: '4/4', retryInMs: 1 });
    expect(sources.every((s) => s.destroyed)).toBe(true);
  });

  it('backs off exponentially up to the cap while the server is down, then resets', async () => {
    warnings.length = 0;
    let attempts = 0;
    let live: FakeSource | undefined;
    const subscription = reconnectingSubscription(
      (after) => {
        attempts++;
        if (attempts <= 5) throw new Error('connect ECONNREFUSED');
        live = new FakeSource(after);
        return live;
      },
      { logger, minBackoffMs: 1, maxBackoffMs: 4 },
    );
    for (let i = 0; i < 100 && !live; i++) await new Promise((r) => setTimeout(r, 5));
    expect(warnings.map((w) => w.obj.retryInMs)).toEqual([1, 2, 4, 4, 4]);
    live!.confirmed();
    live!.queue.end(new Error('dropped'));
    for (let i = 0; i < 100 && warnings.length < 6; i++) await new Promise((r) => setTimeout(r, 5));
    expect(warnings[5]!.obj.retryInMs).toBe(1);
    await subscription.close();
  });

  it('filters system events that reach it and starts from the beginning for START', async () => {
    let source: FakeSource | undefined;
    const subscription = reconnectingSubscription(
      (after) => {
        source = new FakeSource(after);
        return source;
      },
      { after: START },
    );
    const reading = take(subscription, 2);
    await new Promise((r) => setTimeout(r, 5));
    expect(source!.after).toBeUndefined();
    await source!.queue.push(resolved(0));
    await source!.queue.push(resolved(1, { type: '$>' }));
    await source!.queue.push(resolved(2));
    expect((await reading).map((e) => e.revision)).toEqual([0n, 2n]);
    await subscription.close();
  });

  it('applies a checkpoint only after the events received before it are read, then resumes from it', async () => {
    const sources: FakeSource[] = [];
    const subscription = reconnectingSubscription(
      (after, onCheckpoint) => {
        const source = new FakeSource(after, onCheckpoint);
        sources.push(source);
        return source;
      },
      { logger, minBackoffMs: 1, maxBackoffMs: 1 },
    );
    const iterator = subscription[Symbol.asyncIterator]();
    await new Promise((r) => setTimeout(r, 5));
    const first = sources[0]!;
    // Two events wait unread when a checkpoint past them arrives: neither may be dropped.
    await first.send(resolved(3));
    await first.send(resolved(5));
    first.checkpoint(pos(9));
    expect((await iterator.next()).value.revision).toBe(3n);
    expect((await iterator.next()).value.revision).toBe(5n);
    // Nothing unread: a checkpoint applies at once, and a resubscription starts there.
    first.checkpoint(pos(20));
    first.queue.end(new Error('14 UNAVAILABLE: dropped'));
    for (let i = 0; i < 100 && sources.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sources[1]!.after).toEqual(pos(20));
    await subscription.close();
  });

  it('ends with an AppError, without resubscribing, on a failure the server will repeat', async () => {
    const failures: SubscriptionFailure[] = [];
    let opened = 0;
    const subscription = reconnectingSubscription(
      (after) => {
        opened++;
        const source = new FakeSource(after);
        source.queue.end(
          Object.assign(new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.'), {
            code: 3,
          }),
        );
        return source;
      },
      { logger, minBackoffMs: 1, onFailure: (f) => failures.push(f) },
    );
    const error = await take(subscription, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UNAVAILABLE');
    expect(opened).toBe(1);
    expect(failures.map((f) => f.permanent)).toEqual([true]);
  });

  it('ends on close() and on the abort signal, while waiting for events or backing off', async () => {
    const idle = reconnectingSubscription((after) => new FakeSource(after));
    const ending = take(idle, 1);
    setTimeout(() => void idle.close(), 10);
    expect(await ending).toEqual([]);

    const controller = new AbortController();
    const failing = reconnectingSubscription(
      () => {
        throw new Error('down');
      },
      { signal: controller.signal, minBackoffMs: 60_000 },
    );
    const aborted = take(failing, 1);
    setTimeout(() => controller.abort(), 10);
    expect(await aborted).toEqual([]);
    await failing.close();

    const already = AbortSignal.abort();
    expect(
      await take(
        reconnectingSubscription((after) => new FakeSource(after), { signal: already }),
        1,
      ),
    ).toEqual([]);
  });
});

describe('server-side event type filter', () => {
  it('matches exactly the types asked for, whatever characters they hold', () => {
    const regex = new RegExp(exactTypes(['Keep', 'A.B', 'x+(y)']));
    expect(['Keep', 'A.B', 'x+(y)'].every((t) => regex.test(t))).toBe(true);
    expect(['KeepMore', 'AxB', 'Kee', '$Keep', 'xx+(y)'].some((t) => regex.test(t))).toBe(false);
  });
});
