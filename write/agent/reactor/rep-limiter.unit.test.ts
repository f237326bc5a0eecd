import { describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter } from './rep-limiter.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, 0) + seconds * 1000);

describe('per-rep sliding window', () => {
  it('admits `limit` messages of a rep per window, by the time each message was sent', async () => {
    const limiter = createSlidingWindowLimiter({ limit: 3, windowMs: 60_000 });
    const decisions = [];
    for (const [i, s] of [0, 1, 2, 3, 30].entries())
      decisions.push(await limiter.admit('U1', `m${i}`, at(s)));
    expect(decisions).toEqual([true, true, true, false, false]);
    // A minute after the first one, a place is free again.
    expect(await limiter.admit('U1', 'm5', at(60))).toBe(true);
    expect(await limiter.admit('U1', 'm6', at(60.5))).toBe(false);
  });

  it('keeps every rep on a budget of their own', async () => {
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 60_000 });
    expect(await limiter.admit('U1', 'a', at(0))).toBe(true);
    expect(await limiter.admit('U1', 'b', at(1))).toBe(false);
    expect(await limiter.admit('U2', 'c', at(1))).toBe(true);
  });

  it('gives the same answer when the same message is asked about again', async () => {
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 60_000 });
    expect(await limiter.admit('U1', 'a', at(0))).toBe(true);
    expect(await limiter.admit('U1', 'a', at(0))).toBe(true);
    expect(await limiter.admit('U1', 'b', at(1))).toBe(false);
    expect(await limiter.admit('U1', 'b', at(1))).toBe(false);
  });
});
