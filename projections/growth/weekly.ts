import type pg from 'pg';
import { defaultRubricRef, type RubricRef } from '../../schemas/rubrics.ts';
import { round2, type SkillAverages } from './model.ts';

export type WeeklyGrowth = {
  /** Scored sessions since `since`. */
  sessions: number;
  /** Per skill: this week's mean minus the mean of the sessions before it (null without both). */
  delta: Record<string, number> | null;
  /** This week's mean per skill (null without a session this week). */
  thisWeek: Record<string, number> | null;
};

const meanOf = (rows: Record<string, unknown>[]): SkillAverages | null => {
  if (rows.length === 0) return null;
  const sums: SkillAverages = {};
  for (const row of rows) {
    const insights = Math.max(1, Number(row.insights));
    for (const [k, v] of Object.entries((row.sums ?? {}) as Record<string, unknown>))
      sums[k] = (sums[k] ?? 0) + Number(v) / insights;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / rows.length]));
};

/**
 * A rep's growth over the week before a digest, on one rubric version: the sessions since
 * `since`, against the `window` sessions before it.
 */
export const weeklyGrowth = async (
  pool: pg.Pool,
  userId: string,
  since: string,
  window: number,
  rubric: RubricRef = defaultRubricRef,
): Promise<WeeklyGrowth> => {
  const [recent, before] = await Promise.all([
    pool.query<Record<string, unknown>>(
      `SELECT * FROM growth_sessions
        WHERE user_id = $1 AND first_at >= $2 AND rubric_id = $3 AND rubric_version = $4`,
      [userId, since, rubric.id, rubric.version],
    ),
    pool.query<Record<string, unknown>>(
      `SELECT * FROM growth_sessions
        WHERE user_id = $1 AND first_at < $2 AND rubric_id = $4 AND rubric_version = $5
        ORDER BY first_at DESC LIMIT $3`,
      [userId, since, window, rubric.id, rubric.version],
    ),
  ]);
  const now = meanOf(recent.rows);
  const earlier = meanOf(before.rows);
  const round = (v: SkillAverages) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round2(x)]));
  return {
    sessions: recent.rows.length,
    thisWeek: now ? round(now) : null,
    delta:
      now && earlier
        ? Object.fromEntries(Object.keys(now).map((k) => [k, round2((now[k] ?? 0) - (earlier[k] ?? 0))]))
        : null,
  };
};

/** Everyone with a scored session: who gets a weekly digest. */
export const scoredReps = async (pool: pg.Pool): Promise<string[]> =>
  (
    await pool.query<{ user_id: string }>('SELECT DISTINCT user_id FROM user_growth ORDER BY user_id')
  ).rows.map((r) => r.user_id);
