/**
 * Runs the agent's jobs fairly under a bound on how many run at once:
 * - strictly in order within a lane (one lane per conversation), never two of a lane at once;
 * - round-robin across groups (one group per rep), then across a group's lanes, so a rep with
 *   many queued messages or many busy threads takes one turn per round like everyone else;
 * - `quick` jobs (answered without the LLM) wait only for their lane, not for a slot.
 */

export type JobOptions = {
  /** Whose turn this is for fairness (the rep); defaults to the lane. */
  group?: string;
  /** Runs as soon as its lane is free, outside the concurrency bound. */
  quick?: boolean;
  /** When the work arrived (ms since the epoch): the age figures are measured from it. */
  since?: number;
};

type Queued = {
  job: () => Promise<void>;
  quick: boolean;
  since: number;
  resolve: () => void;
  reject: (error: unknown) => void;
};

type Lane = { name: string; group: string; queue: Queued[]; busy: Queued | null };

type Group = { name: string; ready: Lane[] };

export class FairScheduler {
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly lanes = new Map<string, Lane>();
  private readonly groups = new Map<string, Group>();
  /** Groups with at least one ready lane, in turn order. */
  private readonly turns: Group[] = [];
  private slotsTaken = 0;
  private queued = 0;
  private drained: (() => void)[] = [];
  private roomWaiters: { limit: number; resolve: () => void }[] = [];

  constructor(concurrency: number, now: () => number = Date.now) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be ≥ 1');
    this.concurrency = concurrency;
    this.now = now;
  }

  /** Jobs scheduled and not finished (running or waiting). */
  get pending(): number {
    return this.queued;
  }

  /** Jobs running now that hold a slot (quick jobs excluded). */
  get running(): number {
    return this.slotsTaken;
  }

  /** Jobs waiting for their turn (not running). */
  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queue.length;
    return n;
  }

  /** When the oldest job still waiting arrived; null when none waits. */
  oldestWaitingSince(): number | null {
    let oldest: number | null = null;
    for (const lane of this.lanes.values()) {
      const head = lane.queue[0];
      if (head && (oldest === null || head.since < oldest)) oldest = head.since;
    }
    return oldest;
  }

  /** When the oldest unfinished job (waiting or running) arrived; null when there is none. */
  oldestUnfinishedSince(): number | null {
    let oldest: number | null = null;
    for (const lane of this.lanes.values()) {
      const first = lane.busy ?? lane.queue[0];
      if (first && (oldest === null || first.since < oldest)) oldest = first.since;
    }
    return oldest;
  }

  /** Schedules `job` after the lane's earlier jobs; the promise settles with the job. */
  run(lane: string, job: () => Promise<void>, options: JobOptions = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued++;
      let entry = this.lanes.get(lane);
      if (!entry) {
        entry = { name: lane, group: options.group ?? lane, queue: [], busy: null };
        this.lanes.set(lane, entry);
      }
      entry.queue.push({
        job,
        quick: options.quick ?? false,
        since: options.since ?? this.now(),
        resolve,
        reject,
      });
      if (!entry.busy && entry.queue.length === 1) this.becameReady(entry);
      this.dispatch();
    });
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

  private becameReady(lane: Lane) {
    // A quick job does not wait for a turn: it starts at once.
    if (lane.queue[0]?.quick) {
      this.start(lane, false);
      return;
    }
    let group = this.groups.get(lane.group);
    if (!group) {
      group = { name: lane.group, ready: [] };
      this.groups.set(lane.group, group);
    }
    group.ready.push(lane);
    if (group.ready.length === 1) this.turns.push(group);
  }

  private dispatch() {
    while (this.slotsTaken < this.concurrency && this.turns.length > 0) {
      const group = this.turns.shift()!;
      const lane = group.ready.shift()!;
      // The group goes to the back of the line; its other lanes wait for its next turn.
      if (group.ready.length > 0) this.turns.push(group);
      else this.groups.delete(group.name);
      this.start(lane, true);
    }
  }

  private start(lane: Lane, slot: boolean) {
    const item = lane.queue.shift()!;
    lane.busy = item;
    if (slot) this.slotsTaken++;
    const settle = (ok: boolean, error?: unknown) => {
      if (slot) this.slotsTaken--;
      lane.busy = null;
      this.queued--;
      if (lane.queue.length > 0) this.becameReady(lane);
      else this.lanes.delete(lane.name);
      if (ok) item.resolve();
      else item.reject(error);
      this.dispatch();
      this.notify();
    };
    let running: Promise<void>;
    try {
      running = item.job();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => settle(true),
      (error: unknown) => settle(false, error),
    );
  }

  private notify() {
    if (this.queued === 0) for (const resolve of this.drained.splice(0)) resolve();
    this.roomWaiters = this.roomWaiters.filter((w) => {
      if (this.queued >= w.limit) return true;
      w.resolve();
      return false;
    });
  }
}
