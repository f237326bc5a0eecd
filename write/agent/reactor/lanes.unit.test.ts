import { describe, expect, it } from 'vitest';
import { FairScheduler } from './lanes.ts';

/** A job the test finishes by hand, recording when it started. */
const gatedJobs = () => {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const job = (name: string) => () =>
    new Promise<void>((resolve) => {
      started.push(name);
      finishers.set(name, resolve);
    });
  const finish = async (name: string) => {
    const done = finishers.get(name);
    if (!done) throw new Error(`${name} has not started`);
    done();
    // Let the scheduler's settlement callbacks run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, job, finish };
};

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('fair scheduler', () => {
  it('runs the jobs of one lane strictly in order, one at a time', async () => {
    const s = new FairScheduler(4);
    const { started, job, finish } = gatedJobs();
    const all = ['a1', 'a2', 'a3'].map((n) => s.run('A', job(n)));
    await flush();
    expect(started).toEqual(['a1']);
    await finish('a1');
    expect(started).toEqual(['a1', 'a2']);
    await finish('a2');
    await finish('a3');
    await Promise.all(all);
    expect(started).toEqual(['a1', 'a2', 'a3']);
    expect(s.pending).toBe(0);
  });

  it('runs different lanes in parallel, never more than `concurrency` at once', async () => {
    const s = new FairScheduler(2);
    const { started, job, finish } = gatedJobs();
    for (const lane of ['A', 'B', 'C']) void s.run(lane, job(lane));
    await flush();
    expect(started).toEqual(['A', 'B']);
    expect(s.running).toBe(2);
    expect(s.waiting).toBe(1);
    await finish('B');
    expect(started).toEqual(['A', 'B', 'C']);
  });

  it('gives a busy rep one turn per round: others are not stuck behind their queue', async () => {
    const s = new FairScheduler(1);
    const { started, job, finish } = gatedJobs();
    // The busy rep sends five messages in three threads before anyone else speaks.
    void s.run('busy:t1', job('busy1'), { group: 'busy' });
    void s.run('busy:t2', job('busy2'), { group: 'busy' });
    void s.run('busy:t3', job('busy3'), { group: 'busy' });
    void s.run('busy:t1', job('busy4'), { group: 'busy' });
    void s.run('busy:t2', job('busy5'), { group: 'busy' });
    void s.run('x:dm', job('x'), { group: 'x' });
    void s.run('y:dm', job('y'), { group: 'y' });
    await flush();
    for (const name of ['busy1', 'busy2', 'x', 'y', 'busy3', 'busy4']) await finish(name);
    // busy2 was queued before x and y arrived; after that, the reps take turns: x and y do not
    // wait for the busy rep's other four messages (first-come-first-served would put them last).
    expect(started).toEqual(['busy1', 'busy2', 'x', 'y', 'busy3', 'busy4', 'busy5']);
  });

  it('starts a quick job as soon as its lane is free, without waiting for a slot', async () => {
    const s = new FairScheduler(1);
    const { started, job, finish } = gatedJobs();
    void s.run('A', job('slow'));
    void s.run('B', job('waits'));
    void s.run('C', job('quick'), { quick: true });
    // A quick job behind a slow one in its own lane still waits for that lane.
    void s.run('A', job('quick-after-slow'), { quick: true });
    await flush();
    expect(started).toEqual(['slow', 'quick']);
    await finish('slow');
    expect(started).toEqual(['slow', 'quick', 'quick-after-slow', 'waits']);
  });

  it('reports the oldest waiting and unfinished work from the times it arrived', async () => {
    let now = 1_000;
    const s = new FairScheduler(1, () => now);
    const { job, finish } = gatedJobs();
    void s.run('A', job('a'), { since: 500 });
    now = 2_000;
    void s.run('B', job('b'));
    await flush();
    expect(s.oldestWaitingSince()).toBe(2_000);
    expect(s.oldestUnfinishedSince()).toBe(500);
    await finish('a');
    expect(s.oldestWaitingSince()).toBeNull();
    expect(s.oldestUnfinishedSince()).toBe(2_000);
    await finish('b');
    expect(s.oldestUnfinishedSince()).toBeNull();
  });

  it('settles a failing job with its error and goes on with the lane', async () => {
    const s = new FairScheduler(1);
    const failing = s.run('A', async () => {
      throw new Error('boom');
    });
    const next = s.run('A', async () => {});
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBeUndefined();
    await s.idle();
  });

  it('tells the reader when there is room again (backpressure)', async () => {
    const s = new FairScheduler(1);
    const { job, finish } = gatedJobs();
    void s.run('A', job('a'));
    void s.run('B', job('b'));
    let room = false;
    void s.below(2).then(() => {
      room = true;
    });
    await flush();
    expect(room).toBe(false);
    await finish('a');
    expect(room).toBe(true);
    await finish('b');
    await s.idle();
  });
});
