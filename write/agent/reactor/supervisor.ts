import type { Logger } from '../../../schemas/logger.ts';
import { sleep } from '../../../schemas/sleep.ts';
import type { ReactorLock } from '../ports.ts';

export type SupervisorStatus = 'standby' | 'active' | 'stopped';

export type SupervisorOptions = {
  lock: ReactorLock;
  /** Runs the reactor until the signal aborts. */
  run: (signal: AbortSignal) => Promise<void>;
  logger: Logger;
  /** How often a standby process tries the lock, and the owner checks it still holds it. */
  pollMs?: number;
};

export type Supervisor = {
  status: () => SupervisorStatus;
  /** Resolves when this process becomes the active one (or stops). */
  active: () => Promise<void>;
  /** Stops the reactor (letting in-flight work finish or be left for the next owner) and releases the lock. */
  stop: () => Promise<void>;
};

/**
 * Exactly one active reactor across processes: each process waits for the lock, runs the
 * reactor while it holds it, and stops it as soon as the lock is lost (its connection died),
 * then waits again. When the owner dies its lock goes with it and a waiting process takes over
 * from the stored checkpoint. A reactor that fails is restarted with backoff.
 */
export const superviseReactor = (options: SupervisorOptions): Supervisor => {
  const { lock, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const stopping = new AbortController();
  let status: SupervisorStatus = 'standby';
  let becameActive: () => void = () => {};
  const activePromise = new Promise<void>((resolve) => {
    becameActive = resolve;
  });

  const own = async () => {
    const run = new AbortController();
    const stopRun = () => run.abort();
    stopping.signal.addEventListener('abort', stopRun, { once: true });
    const watch = (async () => {
      while (!run.signal.aborted) {
        await sleep(pollMs, run.signal);
        if (run.signal.aborted) break;
        if (!(await lock.stillHeld())) {
          logger.warn('agent reactor: lost its lock; stopping so that another process can take over');
          run.abort();
        }
      }
    })();
    try {
      await options.run(run.signal);
    } finally {
      run.abort();
      stopping.signal.removeEventListener('abort', stopRun);
      await watch;
    }
  };

  const loop = async () => {
    let backoff = pollMs;
    while (!stopping.signal.aborted) {
      let acquired = false;
      try {
        acquired = await lock.tryAcquire();
      } catch (error) {
        logger.warn({ err: error }, 'agent reactor: lock unavailable; retrying');
      }
      if (!acquired) {
        await sleep(pollMs, stopping.signal);
        continue;
      }
      status = 'active';
      becameActive();
      logger.info('agent reactor: this process is the active one');
      try {
        await own();
        backoff = pollMs;
      } catch (error) {
        logger.error({ err: error }, 'agent reactor failed; restarting it');
        await sleep(backoff, stopping.signal);
        backoff = Math.min(backoff * 2, 30_000);
      } finally {
        await lock.release().catch(() => {});
        if (!stopping.signal.aborted) status = 'standby';
      }
    }
  };
  const running = loop();

  return {
    status: () => status,
    active: () => Promise.race([activePromise, running]),
    stop: async () => {
      stopping.abort();
      await running;
      status = 'stopped';
      becameActive();
    },
  };
};
