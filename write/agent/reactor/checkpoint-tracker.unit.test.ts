import { describe, expect, it } from 'vitest';
import { CheckpointTracker } from './checkpoint-tracker.ts';

const at = (n: number) => ({ commit: 100n, prepare: BigInt(n) });

describe('checkpoint tracking', () => {
  it('advances only past events whose handling finished, however they finish', () => {
    const tracker = new CheckpointTracker(at(0));
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => tracker.track(at(n))) as [number, number, number, number];
    tracker.finish(b);
    tracker.finish(d);
    expect(tracker.checkpoint).toEqual(at(0));
    tracker.finish(a);
    expect(tracker.checkpoint).toEqual(at(2));
    expect(tracker.unfinished).toBe(1);
    tracker.finish(c);
    expect(tracker.checkpoint).toEqual(at(4));
  });

  it('starts with no checkpoint when there is none', () => {
    const tracker = new CheckpointTracker(null);
    expect(tracker.checkpoint).toBeNull();
    tracker.finish(tracker.track(at(1)));
    expect(tracker.checkpoint).toEqual(at(1));
  });

  it('keeps working after compacting a long finished prefix', () => {
    const tracker = new CheckpointTracker(null);
    for (let n = 1; n <= 5000; n++) tracker.finish(tracker.track(at(n)));
    const open = tracker.track(at(5001));
    const later = tracker.track(at(5002));
    tracker.finish(later);
    expect(tracker.checkpoint).toEqual(at(5000));
    tracker.finish(open);
    expect(tracker.checkpoint).toEqual(at(5002));
  });
});
