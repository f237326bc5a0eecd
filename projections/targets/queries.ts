import type pg from 'pg';
import { rubricRefText } from '../../schemas/rubrics.ts';
import { currentLevels, recentSessions } from '../growth/recent.ts';
import { type ActiveTargetRow, type TargetProgress, targetProgress } from './progress.ts';

const dateText = (v: unknown) =>
  v instanceof Date
    ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
    : String(v);

/** The active targets of these reps, by rep then skill. */
export const activeTargets = async (
  pool: pg.Pool,
  userIds: readonly string[],
): Promise<ActiveTargetRow[]> => {
  if (userIds.length === 0) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT user_id, rubric_id, rubric_version, skill, target_id, level::float8 AS level,
            to_char(due_date, 'YYYY-MM-DD') AS due_date, set_by, set_at
       FROM skill_targets WHERE active AND user_id = ANY($1::text[])
      ORDER BY user_id, rubric_id, rubric_version, skill`,
    [userIds],
  );
  return rows.map((r) => ({
    targetId: String(r.target_id),
    userId: String(r.user_id),
    rubric: { id: String(r.rubric_id), version: Number(r.rubric_version) },
    skill: String(r.skill),
    level: Number(r.level),
    dueDate: dateText(r.due_date),
    setBy: String(r.set_by),
    setAt: (r.set_at as Date).toISOString(),
  }));
};

/**
 * Progress to each active target of these reps, as of `today` (YYYY-MM-DD, the workspace's date):
 * each target against the rep's scores on the target's own rubric version.
 */
export const targetProgressOf = async (
  pool: pg.Pool,
  userIds: readonly string[],
  options: { window: number; today: string },
): Promise<TargetProgress[]> => {
  const targets = await activeTargets(pool, userIds);
  if (targets.length === 0) return [];
  const rubrics = new Map(targets.map((t) => [rubricRefText(t.rubric), t.rubric]));
  const read = new Map(
    await Promise.all(
      [...rubrics].map(async ([text, rubric]) => {
        const users = [
          ...new Set(targets.filter((t) => rubricRefText(t.rubric) === text).map((t) => t.userId)),
        ];
        const [levels, sessions] = await Promise.all([
          currentLevels(pool, users, rubric),
          recentSessions(pool, users, options.window, rubric),
        ]);
        return [text, { levels, sessions }] as const;
      }),
    ),
  );
  return targets.map((t) => {
    const on = read.get(rubricRefText(t.rubric));
    return targetProgress(t, on?.levels.get(t.userId), on?.sessions.get(t.userId) ?? [], options.today);
  });
};
