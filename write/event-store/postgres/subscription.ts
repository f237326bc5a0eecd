import { sleep } from '../../../schemas/sleep.ts';
import { AsyncQueue } from '../async-queue.ts';
import { type Position, type RecordedEvent, START, type Subscription } from '../port.ts';
import type { Notifier } from './notifier.ts';

const RECHECK_MS = 15;
const RECHECKS = 10;

type Reader = (after: Position, maxCount: number) => Promise<RecordedEvent[]>;
type Logger = { warn(obj: object, msg: string): void };

export type PollingOptions = {
  after?: Position;
  batchSize?: number;
  /** How long to wait for a notification before looking anyway. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
};

/**
 * Catches up in batches, then tails: reads after the last delivered position, and when a
 * batch comes back short waits for a notification (or the poll interval). Database errors
 * (restarts, failovers) are retried with backoff from the last delivered position.
 */
export const pollingSubscription = (
  read: Reader,
  notifier: Notifier,
  options: PollingOptions,
): Subscription => {
  const queue = new AsyncQueue<RecordedEvent>(Math.max(2 * (options.batchSize ?? 500), 100));
  const abort = new AbortController();
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });

  const run = async () => {
    let after = options.after ?? START;
    let backoff = 50;
    let recheck = 0;
    while (!abort.signal.aborted) {
      let batch: RecordedEvent[];
      try {
        batch = await read(after, batchSize);
        backoff = 50;
      } catch (error) {
        if (abort.signal.aborted) break;
        options.logger?.warn({ err: error, retryInMs: backoff }, 'subscription read failed; retrying');
        await sleep(backoff, abort.signal);
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      for (const event of batch) {
        if (abort.signal.aborted) break;
        await queue.push(event);
        after = event.position;
      }
      if (batch.length < batchSize && !abort.signal.aborted) {
        // A notification whose events are not visible yet (an older transaction still runs, so
        // they are past the snapshot's xmin) is followed by quick re-reads, not the full interval.
        const notified = await notifier.wait(recheck > 0 ? RECHECK_MS : pollIntervalMs, abort.signal);
        if (notified && batch.length === 0) recheck = RECHECKS;
        else if (batch.length === 0 && recheck > 0) recheck--;
        else if (batch.length > 0) recheck = 0;
      }
    }
    queue.end();
  };
  const running = run().catch((error: unknown) => queue.end(error));

  if (options.signal?.aborted) abort.abort();

  return {
    [Symbol.asyncIterator]: () => {
      const iterator = queue[Symbol.asyncIterator]();
      return {
        next: () => iterator.next(),
        return: async () => {
          abort.abort();
          queue.end();
          return { value: undefined, done: true };
        },
      };
    },
    close: async () => {
      abort.abort();
      queue.end();
      await running;
    },
  };
};
