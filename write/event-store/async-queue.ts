/**
 * A small async queue used by subscriptions: producers push, one consumer iterates.
 * Backpressure: `push` resolves when the buffer is under its high-water mark.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private rejectWaiting: ((e: unknown) => void) | undefined;
  private drained: (() => void) | undefined;
  private ended = false;
  private failure: unknown;
  private readonly highWaterMark: number;

  constructor(highWaterMark = 1000) {
    this.highWaterMark = highWaterMark;
  }

  async push(item: T): Promise<void> {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length >= this.highWaterMark) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.drained?.();
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      const reject = this.rejectWaiting;
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      if (error !== undefined) reject?.(error);
      else resolve({ value: undefined, done: true });
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) {
          if (this.drained && this.items.length < this.highWaterMark / 2) {
            const resume = this.drained;
            this.drained = undefined;
            resume();
          }
          return Promise.resolve({ value: item, done: false });
        }
        if (this.ended) {
          return this.failure !== undefined
            ? Promise.reject(this.failure)
            : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.rejectWaiting = reject;
        });
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
