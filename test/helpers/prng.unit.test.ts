import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.ts';

describe('the seeded PRNG', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = createPrng(seed);
      return [r.next(), r.int(1, 6), r.hex(4), r.pick(['a', 'b', 'c']), r.chance(0.5)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('spreads over its range', () => {
    const r = createPrng(7);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[r.int(0, 5)]!++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('fuzzing helpers', () => {
  it('mutates reproducibly, several times, and finds errors in a server log', async () => {
    const { mutate, unhandledErrors } = await import('./fuzz.ts');
    const payload = { type: 'event_callback', event: { type: 'message', text: 'hi', ts: '1.000001' } };
    const a = mutate(createPrng(3), payload, 4);
    expect(mutate(createPrng(3), payload, 4)).toEqual(a);
    expect(a).not.toEqual(payload);
    expect(payload.event.text).toBe('hi'); // the original is left alone
    expect(
      unhandledErrors(
        [
          '{"level":"warn","msg":"slack: malformed request body"}',
          '{"level":"error","msg":"slack: a listener failed"}',
          '{"level":"error","err":{"code":"53300"},"msg":"projection failed; restarting it"}',
          'TypeError: x is not a function',
        ].join('\n'),
      ),
    ).toEqual(['{"level":"error","msg":"slack: a listener failed"}', 'TypeError: x is not a function']);
  });
});
