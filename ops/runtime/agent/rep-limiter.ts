import type pg from 'pg';
import type { RepLimiter } from '../../../write/agent/ports.ts';

const windowMs = 60_000;

/**
 * The per-rep limit in Postgres, shared by every agent process: one transaction per message,
 * serialised per rep by an advisory transaction lock, counting the rep's admitted messages sent
 * in the minute before this one. Rows older than a few windows are deleted as the rep goes on.
 */
export const createPgRepLimiter = (pool: pg.Pool, perMinute: number): RepLimiter => ({
  limit: perMinute,
  async admit(userId, messageKey, at) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "SELECT pg_advisory_xact_lock(hashtext('salesai.admission'), hashtext(current_schema() || ':' || $1))",
        [userId],
      );
      const known = await client.query<{ admitted: boolean }>(
        'SELECT admitted FROM agent_admissions WHERE user_id = $1 AND message_key = $2',
        [userId, messageKey],
      );
      let admitted = known.rows[0]?.admitted;
      if (admitted === undefined) {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM agent_admissions
            WHERE user_id = $1 AND admitted AND sent_at > $2::timestamptz - make_interval(secs => $3 / 1000.0)
              AND sent_at <= $2::timestamptz`,
          [userId, at.toISOString(), windowMs],
        );
        admitted = (rows[0]?.n ?? 0) < perMinute;
        await client.query(
          'INSERT INTO agent_admissions (user_id, message_key, sent_at, admitted) VALUES ($1, $2, $3, $4)',
          [userId, messageKey, at.toISOString(), admitted],
        );
        await client.query(
          `DELETE FROM agent_admissions
            WHERE user_id = $1 AND sent_at < $2::timestamptz - make_interval(secs => $3 / 1000.0 * 5)`,
          [userId, at.toISOString(), windowMs],
        );
      }
      await client.query('COMMIT');
      return admitted;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  },
});
