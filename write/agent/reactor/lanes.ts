/**
 * Runs jobs with a bound on how many run at once, strictly in order within a lane (one lane per
 * conversation) and in parallel across lanes.
 */
export class LaneScheduler {
  private readonly concurrency: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly lanes = new Map<string, Promise<void>>();
  private queued = 0;
  private readonly drained: (() => void)[] = [];
  private roomWaiters: { limit: number; resolve: () => void }[] = [];

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be ≥ 1');
    this.concurrency = concurrency;
  }

  /** Jobs scheduled and not finished (running or waiting). */
  get pending(): number {
    return this.queued;
  }

  /** Schedules `job` after the lane's earlier jobs; the promise settles with the job. */
  run(lane: string, job: () => Promise<void>): Promise<void> {
    this.queued++;
    const previous = this.lanes.get(lane) ?? Promise.resolve();
    const result = previous.then(() => this.withSlot(job));
    const tail = result.then(
      () => {},
      () => {},
    );
    this.lanes.set(lane, tail);
    void tail.then(() => {
      if (this.lanes.get(lane) === tail) this.lanes.delete(lane);
      this.queued--;
      if (this.queued === 0) for (const resolve of this.drained.splice(0)) resolve();
      this.roomWaiters = this.roomWaiters.filter((w) => {
        if (this.queued >= w.limit) return true;
        w.resolve();
        return false;
      });
    });
    return result;
  }

  /** Resolves once every scheduled job has finished. */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** Resolves once fewer than `limit` jobs are pending: the caller's backpressure. */
  below(limit: number): Promise<void> {
    if (this.queued < limit) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ limit, resolve }));
  }

  private async withSlot(job: () => Promise<void>): Promise<void> {
    // A finishing job hands its slot straight to the next waiter, so none is taken twice.
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
