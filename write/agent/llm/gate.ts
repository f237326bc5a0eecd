/**
 * The one door every LLM request of a process goes through: at most `maxInFlight` requests at
 * once, replies before background work (insights, scorecards), and when the provider answers
 * 429 with a `retry-after`, the whole process waits that long, not only the call that was told.
 * A request holds its place from the moment it is sent until its answer (or stream) ends; the
 * waits between retries hold none.
 */

export type GatePriority = 'reply' | 'background';

export type GateTimers = {
  now: () => number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  after: (ms: number, fn: () => void) => () => void;
};

export const realTimers: GateTimers = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export type LlmGateOptions = {
  maxInFlight: number;
  /** A retry-after longer than this is cut to it (a confused server cannot stop the agent for good). */
  maxPauseMs?: number;
  timers?: GateTimers;
};

type Waiter = { resolve: (release: () => void) => void; reject: (error: unknown) => void };

export type GateFigures = {
  inFlight: number;
  /** The most in flight at once since the gate was made. */
  peakInFlight: number;
  waiting: number;
  /** Milliseconds left of a provider-requested pause (0: none). */
  pausedForMs: number;
  /** Pauses asked for by the provider (429) so far. */
  pauses: number;
};

export class LlmGate {
  readonly maxInFlight: number;
  private readonly maxPauseMs: number;
  private readonly timers: GateTimers;
  private inFlight = 0;
  private peak = 0;
  private pauses = 0;
  private pausedUntil = 0;
  private cancelWake: (() => void) | null = null;
  private readonly queues: Record<GatePriority, Waiter[]> = { reply: [], background: [] };

  constructor(options: LlmGateOptions) {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new Error('maxInFlight must be ≥ 1');
    this.maxInFlight = options.maxInFlight;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.timers = options.timers ?? realTimers;
  }

  figures(): GateFigures {
    return {
      inFlight: this.inFlight,
      peakInFlight: this.peak,
      waiting: this.queues.reply.length + this.queues.background.length,
      pausedForMs: Math.max(0, this.pausedUntil - this.timers.now()),
      pauses: this.pauses,
    };
  }

  /** Waits for a place; resolves with the function that gives it back (call it exactly once). */
  acquire(signal?: AbortSignal, priority: GatePriority = 'reply'): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      const onAbort = () => {
        const queue = this.queues[priority];
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queues[priority].push(waiter);
      this.grant();
    });
  }

  /** The provider asked us to wait: no request of this process is sent for `ms`. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    const until = this.timers.now() + Math.min(ms, this.maxPauseMs);
    if (until <= this.pausedUntil) return;
    this.pauses++;
    this.pausedUntil = until;
    this.scheduleWake();
  }

  private scheduleWake() {
    this.cancelWake?.();
    const wait = this.pausedUntil - this.timers.now();
    this.cancelWake = this.timers.after(Math.max(0, wait), () => {
      this.cancelWake = null;
      this.grant();
    });
  }

  private grant() {
    if (this.timers.now() < this.pausedUntil) {
      if (!this.cancelWake) this.scheduleWake();
      return;
    }
    while (this.inFlight < this.maxInFlight) {
      const waiter = this.queues.reply.shift() ?? this.queues.background.shift();
      if (!waiter) return;
      this.inFlight++;
      this.peak = Math.max(this.peak, this.inFlight);
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.grant();
      });
    }
  }
}
