import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  START as FROM_START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { AppError, WrongExpectedRevisionError } from '../../../schemas/errors.ts';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
  SubscribeOptions,
  Subscription,
} from '../port.ts';
import { START } from '../port.ts';
import { matchStored } from './duplicates.ts';
import { actualRevisionOf, expectedRevisionToString, toClientExpectedRevision } from './expected-revision.ts';
import { exclusiveBound } from './positions.ts';
import { type EsdbResolved, fromStreamRead, newestUserPosition, pageAfter, toEventData } from './records.ts';
import { reconnectingSubscription, type SubscriptionSource } from './subscription.ts';

type Logger = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type EventStoreDbStoreOptions = { logger?: Logger };

/** How far back a stream is searched for the ids of an append that was refused. */
const duplicateScanWindow = 1000;
/** Page size when walking $all backwards past system events. */
const headPageSize = 100;
const healthTimeoutMs = 5000;

const collect = async <T>(read: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of read) out.push(item);
  return out;
};

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The event store on EventStoreDB / KurrentDB (gRPC client).
 *
 * Idempotency. EventStoreDB recognises a repeated append by its event ids, but not always:
 * - with an expected revision (a number or no_stream) lower than the stream's, it compares
 *   the ids with the events stored right after that revision (an index read, so durable): a
 *   retry with the revision the first attempt used is always recognised;
 * - with `any` or `stream_exists` it only looks in an in-memory cache of recently committed
 *   event ids (bounded by size, emptied by a restart): outside that window it appends again;
 * - with an expected revision equal to the stream's it never looks: it appends again.
 * So before appending, this adapter reads the stream's tail (as many events as it appends):
 * ids found there are reported as a duplicate without writing, which covers the retry of the
 * last append whatever its expected revision. The same tail read tells the stream's revision
 * before the append, so a success that did not move past it was EventStoreDB's own idempotent
 * answer (`duplicate: true`). A refused append whose ids are all among the stream's newest
 * `duplicateScanWindow` events is a duplicate too. What remains unrecognised: an append of ids
 * stored further back than the tail, with `any` after a restart or with the current revision
 * (the command handler's deciders also skip what they have seen), and two identical appends
 * racing each other (both may report duplicate: false; only one writes).
 * Unlike the Postgres store, ids are only compared within the stream appended to.
 */
export const createEventStoreDbStore = (
  connectionString: string,
  options: EventStoreDbStoreOptions = {},
): EventStore => {
  const client = EventStoreDBClient.connectionString(connectionString);
  const subscriptions = new Set<Subscription>();
  const { logger } = options;

  const readStream = async (
    streamId: string,
    { fromRevision, direction = 'forwards', maxCount }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> => {
    if (maxCount !== undefined && maxCount <= 0) return [];
    const forwards = direction === 'forwards';
    try {
      const resolved = await collect<EsdbResolved>(
        client.readStream(streamId, {
          direction: forwards ? FORWARDS : BACKWARDS,
          fromRevision: fromRevision ?? (forwards ? FROM_START : END),
          ...(maxCount === undefined ? {} : { maxCount }),
        }),
      );
      return fromStreamRead(resolved);
    } catch (error) {
      // A tombstoned stream does not exist for us either.
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw error;
    }
  };

  /** The stream's newest events, newest first. */
  const readTail = (streamId: string, count: number) =>
    readStream(streamId, { direction: 'backwards', maxCount: count });

  const duplicateResult = (last: RecordedEvent): AppendResult => ({
    nextRevision: last.revision,
    position: last.position,
    duplicate: true,
  });

  const partialRepeat = (streamId: string) =>
    new AppError('CONFLICT', `stream ${streamId}: some of these event ids were stored by another append`);

  /**
   * A longer look for the ids: a duplicate result when all are stored, undefined when none is,
   * and a refusal for a partial repeat, as the Postgres store refuses it.
   */
  const lookBack = async (streamId: string, ids: string[]): Promise<AppendResult | undefined> => {
    const match = matchStored(await readTail(streamId, duplicateScanWindow), ids);
    if (match.kind === 'all') return duplicateResult(match.last);
    if (match.kind === 'some') throw partialRepeat(streamId);
    return undefined;
  };

  const refused = async (streamId: string, ids: string[], expected: ExpectedRevision, actual: bigint) => {
    const found = await lookBack(streamId, ids);
    if (found) return found;
    throw new WrongExpectedRevisionError(streamId, expectedRevisionToString(expected), actual);
  };

  const append = async (
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision = 'any',
  ): Promise<AppendResult> => {
    if (events.length === 0) throw new AppError('VALIDATION', 'append needs at least one event');
    const ids = events.map((e) => e.id);
    const data = events.map(toEventData);

    const tail = await readTail(streamId, events.length);
    const seen = matchStored(tail, ids);
    if (seen.kind === 'all') return duplicateResult(seen.last);
    if (seen.kind === 'some') {
      const found = await lookBack(streamId, ids);
      if (found) return found;
      throw partialRepeat(streamId);
    }
    const revisionBefore = tail[0]?.revision ?? -1n;

    let result: Awaited<ReturnType<typeof client.appendToStream>>;
    try {
      result = await client.appendToStream(streamId, data, {
        expectedRevision: toClientExpectedRevision(expected),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        return refused(streamId, ids, expected, actualRevisionOf(error.actualVersion));
      }
      throw error;
    }
    // Only when the connection string sets throwOnAppendFailure=false.
    if (!result.success) return refused(streamId, ids, expected, result.nextExpectedRevision);

    const nextRevision = result.nextExpectedRevision;
    // The append's reported position is the commit's, not necessarily the last event's: read it.
    const [last] = await readStream(streamId, {
      fromRevision: nextRevision,
      direction: 'backwards',
      maxCount: 1,
    });
    const position = last?.revision === nextRevision ? last.position : (result.position ?? START);
    return { nextRevision, position, duplicate: nextRevision <= revisionBefore };
  };

  const readAll = async ({ after, maxCount = 500, types }: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    if (maxCount <= 0) return [];
    const wanted = types ? new Set(types) : undefined;
    const out: RecordedEvent[] = [];
    let from = exclusiveBound(after);
    // System events are filtered here, not by the server, so a page can come back short of
    // what was asked: keep reading until the batch is full or $all is exhausted.
    for (;;) {
      const want = maxCount - out.length + 1; // +1: the event at `from` itself comes back too
      const page = await collect<EsdbResolved>(
        client.readAll({ fromPosition: from ?? FROM_START, maxCount: want, direction: FORWARDS }),
      );
      const { events, lastSeen } = pageAfter(page, from, wanted);
      for (const event of events) {
        out.push(event);
        if (out.length === maxCount) return out;
      }
      if (page.length < want || !lastSeen) return out;
      from = lastSeen;
    }
  };

  const headPosition = async (): Promise<Position> => {
    let before: Position | undefined;
    for (;;) {
      const page = await collect<EsdbResolved>(
        client.readAll({ fromPosition: before ?? END, maxCount: headPageSize, direction: BACKWARDS }),
      );
      const { found, lastSeen } = newestUserPosition(page, before);
      if (found) return found;
      if (page.length < headPageSize || !lastSeen) return START;
      before = lastSeen;
    }
  };

  const subscribeToAll = ({ after, batchSize, signal, types }: SubscribeOptions = {}): Subscription => {
    const open = (from: Position | undefined): SubscriptionSource =>
      client.subscribeToAll(
        { fromPosition: from ?? FROM_START, filter: excludeSystemEvents() },
        { highWaterMark: batchSize ?? 500 },
      );
    const subscription = reconnectingSubscription(open, {
      after,
      batchSize,
      signal,
      logger,
      ...(types ? { types: new Set(types) } : {}),
      onEnd: () => subscriptions.delete(subscription),
    });
    subscriptions.add(subscription);
    return subscription;
  };

  const health = async (): Promise<StoreHealth> => {
    const started = performance.now();
    const read = client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    try {
      // Reads carry no gRPC deadline, so an unanswered call is cut off here.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${healthTimeoutMs} ms`)),
          healthTimeoutMs,
        );
      });
      await Promise.race([collect(read), timeout]);
      return { ok: true, latencyMs: round(performance.now() - started) };
    } catch (error) {
      read.cancel().catch(() => {});
      return { ok: false, latencyMs: round(performance.now() - started), detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    kind: 'eventstoredb',
    append,
    readStream,
    readAll,
    subscribeToAll,
    headPosition,
    health,
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      await client.dispose();
    },
  };
};
