/**
 * Waits `ms`, or less when `signal` aborts (it then resolves, never rejects): the pause of a
 * polling or retrying loop that must stop at once on shutdown. The timer and the listener are
 * both removed, whichever comes first.
 */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
