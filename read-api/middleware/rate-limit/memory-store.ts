import type { RateLimitStore, WindowCount } from './store.ts';

export type MemoryRateLimitStoreOptions = {
  /** Counters kept; expired ones are swept first, then the oldest. */
  maxCounters?: number;
  now?: () => number;
};

/** Fixed windows in this process only (no REDIS_URL: one process serves, so that is all of them). */
export const createMemoryRateLimitStore = ({
  maxCounters = 100_000,
  now = Date.now,
}: MemoryRateLimitStoreOptions = {}): RateLimitStore => {
  const counters = new Map<string, { count: number; resetAt: number }>();

  const sweep = () => {
    const at = now();
    for (const [key, counter] of counters) if (counter.resetAt <= at) counters.delete(key);
    while (counters.size > maxCounters) {
      const oldest = counters.keys().next();
      if (oldest.done) break;
      counters.delete(oldest.value);
    }
  };

  return {
    kind: 'memory',
    hit: async (identity, windows) => {
      const at = now();
      const live = windows.map((window) => {
        const key = `${identity}|${window.windowSeconds}`;
        let counter = counters.get(key);
        if (!counter || counter.resetAt <= at) {
          counter = { count: 0, resetAt: at + window.windowSeconds * 1000 };
          counters.set(key, counter);
        }
        return { window, counter };
      });
      const allowed = live.every(({ window, counter }) => counter.count < window.limit);
      if (allowed) for (const { counter } of live) counter.count += 1;
      if (counters.size > maxCounters) sweep();
      return {
        allowed,
        windows: live.map(
          ({ window, counter }): WindowCount => ({
            ...window,
            count: counter.count,
            resetMs: counter.resetAt - at,
          }),
        ),
      };
    },
  };
};
