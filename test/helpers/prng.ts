import { randomInt } from 'node:crypto';

/**
 * A seeded pseudo-random generator (sfc32): every random choice a test makes comes from it, so
 * the seed it prints reproduces the run (`TEST_SEED=<seed> npx vitest run <file>`).
 */
export type Prng = {
  readonly seed: number;
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** `n` bytes. */
  bytes(n: number): Buffer;
  /** A hex id of `n` bytes. */
  hex(n: number): string;
};

export const createPrng = (seed: number): Prng => {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const bytes = (n: number) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = int(0, 255);
    return out;
  };
  return {
    seed,
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from nothing');
      return items[int(0, items.length - 1)]!;
    },
    chance: (p) => next() < p,
    bytes,
    hex: (n) => bytes(n).toString('hex'),
  };
};

/**
 * The run's seed: TEST_SEED when given (to reproduce a run), else a fresh one. Printed with the
 * name of the test so that a failure in CI can be replayed.
 */
export const testSeed = (name: string): number => {
  const given = process.env.TEST_SEED;
  const seed = given !== undefined && given !== '' ? Number(given) >>> 0 : randomInt(2 ** 31);
  if (given !== undefined && given !== '' && !Number.isInteger(Number(given)))
    throw new Error(`TEST_SEED must be an integer, got ${given}`);
  console.log(`[${name}] seed ${seed} (reproduce: TEST_SEED=${seed})`);
  return seed;
};
