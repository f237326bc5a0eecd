import type pg from 'pg';
import { type SkillKey, skillKeys } from '../../schemas/skills.ts';
import { round2, type SkillAverages } from './model.ts';

export type WeeklyGrowth = {
  /** Scored sessions since `since`. */
  sessions: number;
  /** Per skill: this week's mean minus the mean of the sessions before it (null without both). */
  delta: Record<SkillKey, number> | null;
  /** This week's mean per skill (null without a session this week). */
  thisWeek: Record<SkillKey, number> | null;
};

const meanOf = (rows: Record<string, unknown>[]): SkillAverages | null => {
  if (rows.length === 0) return null;
  const sums = Object.fromEntries(skillKeys.map((k) => [k, 0])) as SkillAverages;
  for (const row of rows) {
    const insights = Math.max(1, Number(row.insights));
    for (const k of skillKeys) sums[k] += Number(row[`sum_${k}`]) / insights;
  }
  return Object.fromEntries(skillKeys.map((k) => [k, sums[k] / rows.length])) as SkillAverages;
};

/**
 * A rep's growth over the week before a digest: the sessions since `since`, against the
 * `window` sessions before it.
 */
export const weeklyGrowth = async (
  pool: pg.Pool,
  userId: string,
  since: string,
  window: number,
): Promise<WeeklyGrowth> => {
  const [recent, before] = await Promise.all([
    pool.query<Record<string, unknown>>(
      'SELECT * FROM growth_sessions WHERE user_id = $1 AND first_at >= $2',
      [userId, since],
    ),
    pool.query<Record<string, unknown>>(
      `SELECT * FROM growth_sessions WHERE user_id = $1 AND first_at < $2
        ORDER BY first_at DESC LIMIT $3`,
      [userId, since, window],
    ),
  ]);
  const now = meanOf(recent.rows);
  const earlier = meanOf(before.rows);
  const round = (v: SkillAverages) =>
    Object.fromEntries(skillKeys.map((k) => [k, round2(v[k])])) as Record<SkillKey, number>;
  return {
    sessions: recent.rows.length,
    thisWeek: now ? round(now) : null,
    delta:
      now && earlier
        ? (Object.fromEntries(skillKeys.map((k) => [k, round2(now[k] - earlier[k])])) as Record<
            SkillKey,
            number
          >)
        : null,
  };
};

/** Everyone with a scored session: who gets a weekly digest. */
export const scoredReps = async (pool: pg.Pool): Promise<string[]> =>
  (await pool.query<{ user_id: string }>('SELECT user_id FROM user_growth ORDER BY user_id')).rows.map(
    (r) => r.user_id,
  );
