import type pg from 'pg';
import { skillKeys } from '../../schemas/skills.ts';
import type { SkillAverages } from './model.ts';

/** One scored session of a rep: when it started and its mean score per skill. */
export type SessionPoint = { sessionId: string; startedAt: string; averages: SkillAverages };

/**
 * The last `window` scored sessions of each rep, oldest first (one query for a whole team).
 * Reps without a scored session are absent from the map.
 */
export const recentSessions = async (
  pool: pg.Pool,
  userIds: readonly string[],
  window: number,
): Promise<Map<string, SessionPoint[]>> => {
  const result = new Map<string, SessionPoint[]>();
  if (userIds.length === 0) return result;
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM (
       SELECT g.*, row_number() OVER (PARTITION BY g.user_id ORDER BY g.first_at DESC, g.session_id DESC) AS n
         FROM growth_sessions g WHERE g.user_id = ANY($1::text[])
     ) r WHERE r.n <= $2 ORDER BY r.user_id, r.first_at, r.session_id`,
    [userIds, window],
  );
  for (const row of rows) {
    const insights = Number(row.insights);
    const point: SessionPoint = {
      sessionId: String(row.session_id),
      startedAt: (row.first_at as Date).toISOString(),
      averages: Object.fromEntries(
        skillKeys.map((k) => [k, Number(row[`sum_${k}`]) / Math.max(1, insights)]),
      ) as SkillAverages,
    };
    const list = result.get(String(row.user_id)) ?? [];
    list.push(point);
    result.set(String(row.user_id), list);
  }
  return result;
};

/** Each rep's current level per skill (the growth summary), for those who have one. */
export const currentLevels = async (
  pool: pg.Pool,
  userIds: readonly string[],
): Promise<Map<string, SkillAverages>> => {
  if (userIds.length === 0) return new Map();
  const { rows } = await pool.query<Record<string, unknown>>(
    'SELECT * FROM user_growth WHERE user_id = ANY($1::text[])',
    [userIds],
  );
  return new Map(
    rows.map((row) => [
      String(row.user_id),
      Object.fromEntries(skillKeys.map((k) => [k, Number(row[`cur_${k}`])])) as SkillAverages,
    ]),
  );
};
