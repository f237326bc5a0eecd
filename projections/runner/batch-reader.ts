import type { RecordedEvent, Subscription } from '../../write/event-store/port.ts';

const TIMEOUT = Symbol('timeout');

/**
 * Takes events from a subscription in batches: waits (up to a limit) for the first event, then
 * takes whatever else is already buffered without waiting. Catching up therefore yields full
 * batches, and a live tail yields events one by one as they come.
 */
export class BatchReader {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  private pending: Promise<IteratorResult<RecordedEvent>> | null = null;
  ended = false;

  constructor(subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  async take(max: number, waitMs: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    while (out.length < max && !this.ended) {
      this.pending ??= this.iterator.next();
      const result = await (out.length === 0 ? withTimeout(this.pending, waitMs) : immediately(this.pending));
      if (result === TIMEOUT) break;
      this.pending = null;
      if (result.done) {
        this.ended = true;
        break;
      }
      out.push(result.value);
    }
    return out;
  }
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  new Promise<T | typeof TIMEOUT>((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMEOUT), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/** The value if the promise has already settled, else TIMEOUT (setImmediate runs after settled promises). */
const immediately = <T>(promise: Promise<T>) =>
  Promise.race([promise, new Promise<typeof TIMEOUT>((resolve) => setImmediate(() => resolve(TIMEOUT)))]);
