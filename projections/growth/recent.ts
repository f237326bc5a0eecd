import type pg from 'pg';
import { defaultRubricRef, type RubricRef } from '../../schemas/rubrics.ts';
import type { SkillAverages } from './model.ts';

/** One scored session of a rep: when it started and its mean score per skill (of one rubric version). */
export type SessionPoint = { sessionId: string; startedAt: string; averages: SkillAverages };

const averagesOf = (sums: unknown, insights: number): SkillAverages =>
  Object.fromEntries(
    Object.entries((sums ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      Number(v) / Math.max(1, insights),
    ]),
  );

/**
 * The last `window` scored sessions of each rep on one rubric version, oldest first (one query
 * for a whole team). Reps without a scored session are absent from the map.
 */
export const recentSessions = async (
  pool: pg.Pool,
  userIds: readonly string[],
  window: number,
  rubric: RubricRef = defaultRubricRef,
): Promise<Map<string, SessionPoint[]>> => {
  const result = new Map<string, SessionPoint[]>();
  if (userIds.length === 0) return result;
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM (
       SELECT g.*, row_number() OVER (PARTITION BY g.user_id ORDER BY g.first_at DESC, g.session_id DESC) AS n
         FROM growth_sessions g
        WHERE g.user_id = ANY($1::text[]) AND g.rubric_id = $3 AND g.rubric_version = $4
     ) r WHERE r.n <= $2 ORDER BY r.user_id, r.first_at, r.session_id`,
    [userIds, window, rubric.id, rubric.version],
  );
  for (const row of rows) {
    const point: SessionPoint = {
      sessionId: String(row.session_id),
      startedAt: (row.first_at as Date).toISOString(),
      averages: averagesOf(row.sums, Number(row.insights)),
    };
    const list = result.get(String(row.user_id)) ?? [];
    list.push(point);
    result.set(String(row.user_id), list);
  }
  return result;
};

/** Each rep's current level per skill on one rubric version (the growth summary), for those who have one. */
export const currentLevels = async (
  pool: pg.Pool,
  userIds: readonly string[],
  rubric: RubricRef = defaultRubricRef,
): Promise<Map<string, SkillAverages>> => {
  if (userIds.length === 0) return new Map();
  const { rows } = await pool.query<Record<string, unknown>>(
    'SELECT user_id, current FROM user_growth WHERE user_id = ANY($1::text[]) AND rubric_id = $2 AND rubric_version = $3',
    [userIds, rubric.id, rubric.version],
  );
  return new Map(rows.map((row) => [String(row.user_id), row.current as SkillAverages]));
};
