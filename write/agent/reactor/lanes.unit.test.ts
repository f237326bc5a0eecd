import { describe, expect, it } from 'vitest';
import { LaneScheduler } from './lanes.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A promise the test settles by hand: ordering is decided by the test, never by a timer. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

describe('lanes', () => {
  it('runs the jobs of one lane strictly in order', async () => {
    const lanes = new LaneScheduler(4);
    const order: number[] = [];
    const gates = [gate(), gate(), gate()];
    const jobs = gates.map((g, i) =>
      lanes.run('conversation', async () => {
        order.push(i);
        await g.opened;
      }),
    );
    // The later jobs' gates open first: they must still wait for the first job.
    gates[2]!.open();
    gates[1]!.open();
    await tick();
    expect(order).toEqual([0]);
    gates[0]!.open();
    await Promise.all(jobs);
    expect(order).toEqual([0, 1, 2]);
  });

  it('runs lanes in parallel, at most `concurrency` at once', async () => {
    const lanes = new LaneScheduler(2);
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const lanesNamed = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const lane of lanesNamed) gates.set(lane, gate());
    const all = Promise.all(
      lanesNamed.map((lane) =>
        lanes.run(lane, async () => {
          running++;
          started.push(lane);
          peak = Math.max(peak, running);
          await gates.get(lane)!.opened;
          running--;
        }),
      ),
    );
    await tick();
    // Two lanes run side by side (parallel), the third waits for a slot (bounded).
    expect(started).toEqual(['a', 'b']);
    gates.get('b')!.open();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const g of gates.values()) g.open();
    await all;
    expect(peak).toBe(2);
    expect(started.sort()).toEqual(lanesNamed);
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
