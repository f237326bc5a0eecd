import type { RateLimitWindow } from '../../../schemas/api/rate-limits.ts';

/** One window's counter after a request. */
export type WindowCount = RateLimitWindow & {
  /** Requests counted in the window so far (this one included when it was allowed). */
  count: number;
  /** Milliseconds until the window ends and its counter starts again. */
  resetMs: number;
};

export type RateLimitDecision = { allowed: boolean; windows: WindowCount[] };

/**
 * Counts a request against every window at once, and only when all of them have room: a
 * refused request uses up nothing (so a client retrying too early is not pushed further out).
 */
export type RateLimitStore = {
  readonly kind: 'redis' | 'memory';
  hit: (identity: string, windows: readonly RateLimitWindow[]) => Promise<RateLimitDecision>;
};
