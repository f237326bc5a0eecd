import { describe, expect, it } from 'vitest';
import { LaneScheduler } from './lanes.ts';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lanes', () => {
  it('runs the jobs of one lane strictly in order', async () => {
    const lanes = new LaneScheduler(4);
    const order: number[] = [];
    const jobs = [30, 1, 10].map((delay, i) =>
      lanes.run('conversation', async () => {
        await tick(delay);
        order.push(i);
      }),
    );
    await Promise.all(jobs);
    expect(order).toEqual([0, 1, 2]);
  });

  it('runs lanes in parallel, at most `concurrency` at once', async () => {
    const lanes = new LaneScheduler(2);
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await tick(10);
      running--;
    };
    const started = performance.now();
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((lane) => lanes.run(lane, job)));
    expect(peak).toBe(2);
    expect(performance.now() - started).toBeLessThan(60 * 2);
  });

  it('goes on with a lane after a job fails, and reports the failure to its caller', async () => {
    const lanes = new LaneScheduler(1);
    const failing = lanes.run('x', async () => {
      throw new Error('boom');
    });
    const next = lanes.run('x', async () => {});
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBeUndefined();
  });

  it('tells when it is idle and when there is room', async () => {
    const lanes = new LaneScheduler(1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    void lanes.run('a', () => gate);
    void lanes.run('b', async () => {});
    expect(lanes.pending).toBe(2);
    let roomy = false;
    void lanes.below(2).then(() => {
      roomy = true;
    });
    await tick();
    expect(roomy).toBe(false);
    release();
    await lanes.idle();
    expect(roomy).toBe(true);
    expect(lanes.pending).toBe(0);
  });
});
