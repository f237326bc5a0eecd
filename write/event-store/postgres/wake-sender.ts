import type pg from 'pg';

/**
 * Tells subscribers (in this and other processes) that events were committed. It runs after
 * the append's commit, as its own tiny transaction: a NOTIFY inside the append would take
 * Postgres' global notify lock through the commit's WAL flush and serialise every append.
 * Appends that land while one is in flight share the next one, which starts after them.
 */
export const createWakeSender = (pool: pg.Pool, schema: string, wakeLocal: () => void) => {
  let inFlight = false;
  let pending = false;

  const send = () => {
    inFlight = true;
    pending = false;
    pool
      .query('SELECT pg_notify($1, $2)', ['salesai_events', schema])
      .catch(() => {
        // A lost notification costs latency only: subscribers also poll.
      })
      .finally(() => {
        inFlight = false;
        if (pending) send();
      });
  };

  return () => {
    wakeLocal();
    if (inFlight) pending = true;
    else send();
  };
};
