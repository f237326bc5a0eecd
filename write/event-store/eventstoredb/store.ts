import {
  BACKWARDS,
  END,
  FORWARDS,
  START as FROM_START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { AppError, PartialRepeatError, WrongExpectedRevisionError } from '../../../schemas/errors.ts';
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
import { openClient } from './client.ts';
import { matchStored } from './duplicates.ts';
import { expectedRevisionToString, toClientExpectedRevision } from './expected-revision.ts';
import { countingReceived, serverFilter } from './filters.ts';
import { exclusiveBound, isStart } from './positions.ts';
import { readAllFiltered } from './read-all.ts';
import { type EsdbResolved, fromStreamRead, newestUserPosition, toEventData } from './records.ts';
import {
  reconnectingSubscription,
  type SubscriptionFailure,
  type SubscriptionSource,
} from './subscription.ts';

type Logger = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type EventStoreDbStoreOptions = {
  logger?: Logger;
  /** Told of every subscription failure: transient ones (resubscribed) and permanent ones (ended). */
  onSubscriptionFailure?: (failure: SubscriptionFailure) => void;
  /** How long a health check waits for the server (5 s). */
  healthTimeoutMs?: number;
};

/** How far back a stream is searched for the ids of an append that was refused. */
const duplicateScanWindow = 1000;
/** Page size when walking $all backwards past system events. */
const headPageSize = 100;

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
  const { client, close: closeClient } = openClient(connectionString);
  const subscriptions = new Set<Subscription>();
  const { logger } = options;
  const healthTimeoutMs = options.healthTimeoutMs ?? 5000;
  /** The last subscription failure that resubscribing could not cure, until a subscription is confirmed again. */
  let stoppedSubscription: Error | undefined;

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

  const partialRepeat = (streamId: string) => new PartialRepeatError(streamId);

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

  /** The stream's current revision, -1 when it has none (or was deleted). */
  const actual = async (streamId: string): Promise<bigint> =>
    (await readTail(streamId, 1))[0]?.revision ?? -1n;

  const deleted = (streamId: string, cause: unknown) =>
    new AppError(
      'CONFLICT',
      `stream ${streamId} is deleted: nothing can be appended to it`,
      { streamId },
      { cause },
    );

  const refused = async (streamId: string, ids: string[], expected: ExpectedRevision, actual: bigint) => {
    const found = await lookBack(streamId, ids);
    if (found) return found;
    throw new WrongExpectedRevisionError(streamId, expectedRevisionToString(expected), actual);
  };

  const append = async (
    streamId: string,
    events: readonly EventToAppend[],
    expectedArg: ExpectedRevision = 'any',
  ): Promise<AppendResult> => {
    if (events.length === 0) throw new AppError('VALIDATION', 'append needs at least one event');
    const ids = events.map((e) => e.id);
    const data = events.map(toEventData);
    // -1 is "no stream" (as in the Postgres store); the client cannot send a negative revision.
    const expected: ExpectedRevision = expectedArg === -1n ? 'no_stream' : expectedArg;

    const tail = await readTail(streamId, events.length);
    const seen = matchStored(tail, ids);
    if (seen.kind === 'all') return duplicateResult(seen.last);
    if (seen.kind === 'some') {
      const found = await lookBack(streamId, ids);
      if (found) return found;
      throw partialRepeat(streamId);
    }
    const revisionBefore = tail[0]?.revision ?? -1n;
    if (typeof expected === 'bigint' && expected < 0n) {
      throw new WrongExpectedRevisionError(streamId, expected.toString(), revisionBefore);
    }

    let result: Awaited<ReturnType<typeof client.appendToStream>>;
    try {
      result = await client.appendToStream(streamId, data, {
        expectedRevision: toClientExpectedRevision(expected),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError)
        return refused(streamId, ids, expected, await actual(streamId));
      if (error instanceof StreamDeletedError) throw deleted(streamId, error);
      throw error;
    }
    // Only when the connection string sets throwOnAppendFailure=false. The client's report of
    // the actual revision is then not to be trusted (its BatchAppend path sends 1 or 0 for
    // "there is one or not"): the stream says.
    if (!result.success) return refused(streamId, ids, expected, await actual(streamId));

    const nextRevision = result.nextExpectedRevision;
    // The append's reported position is the commit's, not necessarily the last event's: read
    // it. Servers before 22.6 know no position for it there: the append's position stands.
    const [last] = await readStream(streamId, {
      fromRevision: nextRevision,
      direction: 'backwards',
      maxCount: 1,
    });
    const position =
      last?.revision === nextRevision && !isStart(last.position) ? last.position : (result.position ?? START);
    return { nextRevision, position, duplicate: nextRevision <= revisionBefore };
  };

  const readAll = ({ after, maxCount = 500, types }: ReadAllOptions = {}): Promise<RecordedEvent[]> =>
    readAllFiltered(client, { after: exclusiveBound(after), maxCount, types });

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
    // Filtered on the server, with checkpoints that let a resubscription start past records it
    // filtered out (system events, other types) instead of reading them again.
    const open = (
      from: Position | undefined,
      onCheckpoint: (position: Position) => void,
    ): SubscriptionSource =>
      countingReceived(
        client.subscribeToAll(
          { fromPosition: from ?? FROM_START, filter: serverFilter(types, onCheckpoint) },
          { highWaterMark: batchSize ?? 500 },
        ),
      );
    const subscription = reconnectingSubscription(open, {
      after,
      batchSize,
      signal,
      logger,
      ...(types ? { types: new Set(types) } : {}),
      onEnd: () => subscriptions.delete(subscription),
      onConfirmed: () => {
        stoppedSubscription = undefined;
      },
      onFailure: (failure) => {
        if (failure.permanent) stoppedSubscription = failure.error as Error;
        options.onSubscriptionFailure?.(failure);
      },
    });
    subscriptions.add(subscription);
    return subscription;
  };

  const health = async (): Promise<StoreHealth> => {
    const started = performance.now();
    const read = client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    try {
      // Reads carry no gRPC deadline (the client sets none), so an unanswered call is cut off
      // here: cancelled on the wire and ended here, so nothing stays pending.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          read.cancel().catch(() => {});
          read.destroy();
          reject(new Error(`no answer within ${healthTimeoutMs} ms`));
        }, healthTimeoutMs);
      });
      await Promise.race([collect(read), timeout]);
      const latencyMs = round(performance.now() - started);
      if (stoppedSubscription) {
        return { ok: false, latencyMs, detail: `a subscription stopped: ${stoppedSubscription.message}` };
      }
      return { ok: true, latencyMs };
    } catch (error) {
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
      await closeClient();
    },
  };
};
