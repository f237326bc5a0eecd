import type pg from 'pg';
import type { Position } from '../../write/event-store/port.ts';
import { START } from '../../write/event-store/port.ts';

/**
 * The position of the last committed event of the Postgres store, whatever is still running.
 * (`headPosition()` may stay behind it while any transaction in the cluster is open, by design,
 * so "caught up to the head" is not "has applied every event appended so far".)
 */
export const storeTail = async (pool: pg.Pool): Promise<Position> => {
  const { rows } = await pool.query<{ c: string; p: string }>(
    'SELECT transaction_id::text AS c, global_position AS p FROM es_events ORDER BY es_events.transaction_id DESC, es_events.global_position DESC LIMIT 1',
  );
  const row = rows[0];
  return row ? { commit: BigInt(row.c), prepare: BigInt(row.p) } : START;
};
