import type { RepLimiter } from '../ports.ts';

export type SlidingWindowOptions = {
  /** Messages of one rep that may reach the LLM per window. */
  limit: number;
  windowMs: number;
  /** Decisions remembered (so a message handled again gets the same answer). */
  memory?: number;
};

/**
 * A per-rep budget over a sliding window of message times (the time a message was recorded,
 * not the time it is handled: a backlog handled late is judged as the rep sent it). In one
 * process; ops gives the agent a Postgres one shared by every process.
 */
export const createSlidingWindowLimiter = (options: SlidingWindowOptions): RepLimiter => {
  const admittedAt = new Map<string, number[]>();
  const decisions = new Map<string, boolean>();
  const memory = options.memory ?? 10_000;
  return {
    limit: options.limit,
    async admit(userId, messageKey, at) {
      const key = `${userId}\u0000${messageKey}`;
      const known = decisions.get(key);
      if (known !== undefined) return known;
      const t = at.getTime();
      const times = (admittedAt.get(userId) ?? []).filter((x) => x > t - options.windowMs);
      const admitted = times.filter((x) => x <= t).length < options.limit;
      if (admitted) times.push(t);
      if (times.length > 0) admittedAt.set(userId, times);
      else admittedAt.delete(userId);
      decisions.set(key, admitted);
      if (decisions.size > memory) decisions.delete(decisions.keys().next().value!);
      return admitted;
    },
  };
};

/** No limit. */
export const unlimited: RepLimiter = { limit: null, admit: async () => true };
