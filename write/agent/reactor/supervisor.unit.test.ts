import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../schemas/logger.ts';
import type { ReactorLock } from '../ports.ts';
import { superviseReactor } from './supervisor.ts';

/** An in-memory lock shared by "processes" (the Postgres one is tested in ops/runtime/agent). */
const sharedLock = () => {
  let owner: object | null = null;
  return (): ReactorLock & { drop: () => void } => {
    const me = {};
    let dropped = false;
    return {
      tryAcquire: async () => {
        if (owner === null) owner = me;
        return owner === me;
      },
      stillHeld: async () => owner === me && !dropped,
      release: async () => {
        if (owner === me) owner = null;
      },
      drop: () => {
        dropped = true;
        owner = null;
      },
    };
  };
};

const waitFor = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('reactor supervision', () => {
  it('runs one reactor at a time; the standby takes over when the active one stops', async () => {
    const lock = sharedLock();
    const runs: string[] = [];
    const reactor = (name: string) => (signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        runs.push(`${name} start`);
        signal.addEventListener('abort', () => {
          runs.push(`${name} stop`);
          resolve();
        });
      });
    const first = superviseReactor({ lock: lock(), run: reactor('A'), logger: silentLogger, pollMs: 10 });
    await first.active();
    const second = superviseReactor({ lock: lock(), run: reactor('B'), logger: silentLogger, pollMs: 10 });
    // B has tried the lock and found it held.
    await waitFor(() => second.status() === 'standby', 30_000);
    expect(first.status()).toBe('active');
    expect(second.status()).toBe('standby');
    await first.stop();
    await second.active();
    expect(runs).toEqual(['A start', 'A stop', 'B start']);
    await second.stop();
    expect(second.status()).toBe('stopped');
  });

  it('stops the reactor when the lock is lost, and restarts a reactor that fails', async () => {
    const lock = sharedLock()();
    let starts = 0;
    let stops = 0;
    const supervisor = superviseReactor({
      lock,
      logger: silentLogger,
      pollMs: 10,
      run: (signal) =>
        new Promise<void>((resolve, reject) => {
          starts++;
          if (starts === 1) return reject(new Error('subscription failed'));
          signal.addEventListener('abort', () => {
            stops++;
            resolve();
          });
        }),
    });
    await waitFor(() => starts === 2);
    lock.drop();
    await waitFor(() => stops === 1);
    await waitFor(() => starts === 3);
    await supervisor.stop();
  });
});
