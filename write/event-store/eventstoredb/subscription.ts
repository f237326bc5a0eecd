import { AppError } from '../../../schemas/errors.ts';
import { sleep } from '../../../schemas/sleep.ts';
import { AsyncQueue } from '../async-queue.ts';
import {
  comparePositions,
  type Position,
  positionToString,
  type RecordedEvent,
  type Subscription,
} from '../port.ts';
import { exclusiveBound, isAfter, isUserEvent } from './positions.ts';
import { type EsdbResolved, positionOf, toRecordedEvent } from './records.ts';
import { isPermanentFailure } from './subscription-errors.ts';

/** What one underlying EventStoreDB subscription offers (the client's AllStreamSubscription has it). */
export type SubscriptionSource = AsyncIterable<EsdbResolved> & {
  unsubscribe(): Promise<void>;
  destroy(error?: Error): unknown;
  once(event: 'confirmation', listener: () => void): unknown;
  /** How many events the source has received from the server so far, read here or not yet. */
  received?(): number;
};

/**
 * Opens a subscription after a position (undefined = from the start of $all). The server
 * reports checkpoints of a filtered subscription through `onCheckpoint`: every record up to
 * that position has been considered, whether it was sent or filtered out.
 */
export type OpenSource = (
  after: Position | undefined,
  onCheckpoint: (position: Position) => void,
) => SubscriptionSource;

export type SubscriptionFailure = { readonly error: unknown; readonly permanent: boolean };

type Logger = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type ReconnectingOptions = {
  after?: Position | undefined;
  batchSize?: number | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /** Only events of these types are delivered (positions still advance past the others). */
  types?: ReadonlySet<string>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called once the subscription has ended, whatever ended it. */
  onEnd?: () => void;
  /** Called for each failure: transient ones are followed by a resubscription, permanent ones end it. */
  onFailure?: (failure: SubscriptionFailure) => void;
  /** Called when the server confirms a (re)subscription. */
  onConfirmed?: () => void;
};

/** After this many failed attempts in a row the log line becomes an error: someone should look. */
const loudAfterAttempts = 10;

/**
 * A catch-up subscription to $all that survives the server: when the underlying subscription
 * fails (restart, failover, network) or ends, it waits with capped exponential backoff and
 * resubscribes from the last position it delivered. Events at or before that position are
 * dropped, so a server that resends the event at the checkpoint cannot make it deliver twice,
 * and since it always resumes from what it delivered it cannot skip one either.
 */
export const reconnectingSubscription = (
  open: OpenSource,
  options: ReconnectingOptions = {},
): Subscription => {
  const minBackoffMs = options.minBackoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const queue = new AsyncQueue<RecordedEvent>(Math.max(2 * (options.batchSize ?? 500), 100));
  const abort = new AbortController();
  let current: SubscriptionSource | undefined;

  const stop = (source: SubscriptionSource | undefined) => {
    if (!source) return;
    // unsubscribe cancels the gRPC call; destroy ends our iteration over it right away.
    source.unsubscribe().catch(() => {});
    source.destroy();
  };

  const onSignal = () => abort.abort();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  abort.signal.addEventListener(
    'abort',
    () => {
      stop(current);
      queue.end();
    },
    { once: true },
  );

  const run = async () => {
    let last = exclusiveBound(options.after);
    let backoff = minBackoffMs;
    let failedAttempts = 0;
    /** Moves the resume point forward (never back) to a position every record up to has been seen. */
    const advance = (position: Position) => {
      if (!last || comparePositions(position, last) > 0) last = position;
    };
    while (!abort.signal.aborted) {
      let failure: unknown;
      let source: SubscriptionSource | undefined;
      // A checkpoint covers the events the server sent before it: it applies once those have
      // been read here, not while some still wait in the client's buffer (else they would
      // count as already seen and be dropped).
      let read = 0;
      const pending: { position: Position; afterRead: number }[] = [];
      const applyCheckpoints = () => {
        while (pending.length > 0 && pending[0]!.afterRead <= read) advance(pending.shift()!.position);
      };
      try {
        source = open(last, (position) => {
          pending.push({ position, afterRead: source?.received?.() ?? Number.POSITIVE_INFINITY });
          applyCheckpoints();
        });
        current = source;
        source.once('confirmation', () => {
          backoff = minBackoffMs;
          failedAttempts = 0;
          options.onConfirmed?.();
        });
        for await (const resolved of source) {
          read++;
          if (abort.signal.aborted) break;
          backoff = minBackoffMs;
          failedAttempts = 0;
          const position = positionOf(resolved);
          if (resolved.event && position && isAfter(position, last)) {
            if (
              isUserEvent(resolved.event.streamId, resolved.event.type) &&
              (!options.types || options.types.has(resolved.event.type))
            ) {
              await queue.push(toRecordedEvent(resolved.event, position));
            }
            advance(position);
          }
          applyCheckpoints();
        }
      } catch (error) {
        failure = error;
      } finally {
        current = undefined;
        stop(source);
      }
      if (abort.signal.aborted) break;

      if (failure !== undefined && isPermanentFailure(failure)) {
        options.onFailure?.({ error: failure, permanent: true });
        options.logger?.error(
          { err: failure, after: last ? positionToString(last) : 'start' },
          'EventStoreDB subscription failed and cannot recover by resubscribing; it is stopped',
        );
        throw new AppError(
          'UNAVAILABLE',
          `EventStoreDB subscription stopped: ${(failure as Error).message ?? String(failure)}`,
          { after: last ? positionToString(last) : 'start' },
          { cause: failure },
        );
      }
      options.onFailure?.({ error: failure, permanent: false });

      failedAttempts++;
      const log = failedAttempts >= loudAfterAttempts ? options.logger?.error : options.logger?.warn;
      log?.call(
        options.logger,
        {
          err: failure,
          after: last ? positionToString(last) : 'start',
          retryInMs: backoff,
          attempt: failedAttempts,
        },
        failure === undefined
          ? 'EventStoreDB subscription ended by the server; resubscribing'
          : 'EventStoreDB subscription dropped; resubscribing',
      );
      await sleep(backoff, abort.signal);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
    queue.end();
  };

  const running = run()
    .catch((error: unknown) => queue.end(error))
    .finally(() => {
      options.signal?.removeEventListener('abort', onSignal);
      options.onEnd?.();
    });
  if (options.signal?.aborted) abort.abort();

  return {
    [Symbol.asyncIterator]: () => {
      const iterator = queue[Symbol.asyncIterator]();
      return {
        next: () => iterator.next(),
        return: async () => {
          abort.abort();
          return { value: undefined, done: true };
        },
      };
    },
    close: async () => {
      abort.abort();
      await running;
    },
  };
};
