import { AsyncQueue } from '../async-queue.ts';
import { type Position, positionToString, type RecordedEvent, type Subscription } from '../port.ts';
import { exclusiveBound, isAfter, isUserEvent } from './positions.ts';
import { type EsdbResolved, positionOf, toRecordedEvent } from './records.ts';

/** What one underlying EventStoreDB subscription offers (the client's AllStreamSubscription has it). */
export type SubscriptionSource = AsyncIterable<EsdbResolved> & {
  unsubscribe(): Promise<void>;
  destroy(error?: Error): unknown;
  once(event: 'confirmation', listener: () => void): unknown;
};

/** Opens a subscription after a position (undefined = from the start of $all). */
export type OpenSource = (after: Position | undefined) => SubscriptionSource;

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
    while (!abort.signal.aborted) {
      let failure: unknown;
      let source: SubscriptionSource | undefined;
      try {
        source = open(last);
        current = source;
        source.once('confirmation', () => {
          backoff = minBackoffMs;
          failedAttempts = 0;
        });
        for await (const resolved of source) {
          if (abort.signal.aborted) break;
          backoff = minBackoffMs;
          failedAttempts = 0;
          const position = positionOf(resolved);
          if (!resolved.event || !position || !isAfter(position, last)) continue;
          if (
            isUserEvent(resolved.event.streamId, resolved.event.type) &&
            (!options.types || options.types.has(resolved.event.type))
          ) {
            await queue.push(toRecordedEvent(resolved.event, position));
          }
          last = position;
        }
      } catch (error) {
        failure = error;
      } finally {
        current = undefined;
        stop(source);
      }
      if (abort.signal.aborted) break;

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

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
