import { createHash } from 'node:crypto';

/**
 * Deterministic randomness for the demo: the same seed string always gives the same numbers,
 * so a second run regenerates exactly the events of the first (same ids, nothing new).
 */
export const seeded = (seed: string) => {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  // mulberry32: small, fast, good enough for varied demo data.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** A whole number in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
};

export type Random = ReturnType<typeof seeded>;
