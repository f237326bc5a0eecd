import type pg from 'pg';
import type { RepLimiter } from '../../../write/agent/ports.ts';

const windowSeconds = 60;

/**
 * One statement, one round trip (the agent's reader asks for every rep message): the decision
 * already taken for this message, else whether the rep's admitted messages sent in the minute
 * before it are under the limit; the decision is stored, and the rep's rows older than a few
 * windows are deleted. The advisory transaction lock orders two processes judging one rep at
 * the same moment; as both read one snapshot, the limit may then be passed by one message.
 */
const admitSql = `
WITH locked AS MATERIALIZED (
  SELECT pg_advisory_xact_lock(hashtext('salesai.admission'), hashtext(current_schema() || ':' || $1))
),
known AS MATERIALIZED (
  SELECT a.admitted FROM agent_admissions a, locked WHERE a.user_id = $1 AND a.message_key = $2
),
recent AS MATERIALIZED (
  SELECT count(*)::int AS n FROM agent_admissions a, locked
   WHERE a.user_id = $1 AND a.admitted
     AND a.sent_at > $3::timestamptz - make_interval(secs => $5) AND a.sent_at <= $3::timestamptz
),
decision AS (
  SELECT coalesce((SELECT admitted FROM known), (SELECT n FROM recent) < $4) AS admitted
),
stored AS (
  INSERT INTO agent_admissions (user_id, message_key, sent_at, admitted)
  SELECT $1, $2, $3::timestamptz, admitted FROM decision
  ON CONFLICT (user_id, message_key) DO NOTHING
),
pruned AS (
  DELETE FROM agent_admissions
   WHERE user_id = $1 AND sent_at < $3::timestamptz - make_interval(secs => $5 * 5)
)
SELECT admitted FROM decision`;

/** The per-rep limit in Postgres (`agent_admissions`), shared by every agent process. */
export const createPgRepLimiter = (pool: pg.Pool, perMinute: number): RepLimiter => ({
  limit: perMinute,
  async admit(userId, messageKey, at) {
    const { rows } = await pool.query<{ admitted: boolean }>(admitSql, [
      userId,
      messageKey,
      at.toISOString(),
      perMinute,
      windowSeconds,
    ]);
    return rows[0]?.admitted ?? true;
  },
});
