import type pg from 'pg';
import { type SkillAverages, trendSlopes, weakestSkills } from '../../projections/growth/model.ts';
import { coreRubric, type Rubric } from '../../schemas/rubrics.ts';
import { addDays, localDate, mondayOf } from '../time.ts';

export type RepSummary = {
  userId: string;
  sessions: number;
  lastSessionAt: string | null;
  insights: number;
  /** Null until the rep has an insight. */
  current: SkillAverages | null;
  average: SkillAverages | null;
  /** Per skill, over the rep's most recent session averages (points per session). */
  slope: SkillAverages;
  /** How many sessions the slope is taken over. */
  slopeSessions: number;
  meanCurrent: number | null;
  meanSlope: number;
  weakest: string[];
};

export type TeamOverview = {
  /** The rubric version every score here is on. */
  rubric: Rubric;
  reps: RepSummary[];
  totals: { reps: number; sessions: number; insights: number; sessionsLast7Days: number };
  /** Sessions started per week (Monday, in the display zone), oldest first, gaps filled. */
  weekly: { week: string; sessions: number }[];
  /** Each rep counts once (a rep with many sessions does not outweigh the team). */
  team: { current: SkillAverages; average: SkillAverages } | null;
  improved: RepSummary[];
  needsHelp: RepSummary[];
};

export type TeamOptions = {
  timeZone: string;
  now: number;
  /** The slope is taken over each rep's last this many sessions: "recently improving". */
  recentSessions?: number;
  weeks?: number;
  /** Entries in "improved most" and "needs help". */
  highlights?: number;
  /** Only these reps (a manager signed in with Slack sees their team); absent = everyone. */
  userIds?: readonly string[];
  /** The rubric version read (one at a time); core v1 when not given. */
  rubric?: Rubric;
};

const mean = (v: SkillAverages, keys: readonly string[]) =>
  keys.reduce((acc, k) => acc + (v[k] ?? 0), 0) / Math.max(1, keys.length);
const meanOf = (list: readonly SkillAverages[], keys: readonly string[]) =>
  Object.fromEntries(
    keys.map((k) => [k, list.reduce((acc, v) => acc + (v[k] ?? 0), 0) / Math.max(1, list.length)]),
  ) as SkillAverages;

/** Everything the team overview shows, from the read tables (today's state). */
export const teamOverview = async (pool: pg.Pool, options: TeamOptions): Promise<TeamOverview> => {
  const recent = options.recentSessions ?? 12;
  const weeks = options.weeks ?? 12;
  const highlights = options.highlights ?? 3;
  // Everyone (null), or only the reps a Slack-signed-in manager may see.
  const only = options.userIds ?? null;
  const rubric = options.rubric ?? coreRubric;
  const keys = rubric.skills.map((s) => s.key);
  const zero = () => Object.fromEntries(keys.map((k) => [k, 0])) as SkillAverages;
  const [sessions, growth, recentAggregates, weekly] = await Promise.all([
    pool.query<{ user_id: string; sessions: number; last_at: Date; last7: number }>(
      `SELECT user_id, count(*)::int AS sessions, max(started_at) AS last_at,
              count(*) FILTER (WHERE started_at > $1::timestamptz)::int AS last7
         FROM dialogue_sessions WHERE ($2::text[] IS NULL OR user_id = ANY($2)) GROUP BY user_id`,
      [new Date(options.now - 7 * 86_400_000).toISOString(), only],
    ),
    pool.query<Record<string, unknown>>(
      `SELECT * FROM user_growth
        WHERE rubric_id = $1 AND rubric_version = $2 AND ($3::text[] IS NULL OR user_id = ANY($3))`,
      [rubric.id, rubric.version, only],
    ),
    pool.query<Record<string, unknown>>(
      `SELECT user_id, insights, sums FROM (
         SELECT g.user_id, g.session_id, g.insights, g.sums,
                coalesce(d.started_at, g.first_at) AS started_at,
                row_number() OVER (PARTITION BY g.user_id
                                   ORDER BY coalesce(d.started_at, g.first_at) DESC, g.session_id DESC) AS rn
           FROM growth_sessions g LEFT JOIN dialogue_sessions d ON d.session_id = g.session_id
          WHERE g.rubric_id = $2 AND g.rubric_version = $3
            AND ($4::text[] IS NULL OR g.user_id = ANY($4))
       ) recent WHERE rn <= $1 ORDER BY user_id, started_at, session_id`,
      [recent, rubric.id, rubric.version, only],
    ),
    pool.query<{ week: string; sessions: number }>(
      `SELECT to_char(date_trunc('week', started_at AT TIME ZONE $1), 'YYYY-MM-DD') AS week,
              count(*)::int AS sessions
         FROM dialogue_sessions WHERE ($2::text[] IS NULL OR user_id = ANY($2)) GROUP BY 1 ORDER BY 1`,
      [options.timeZone, only],
    ),
  ]);

  const byUser = new Map<string, SkillAverages[]>();
  for (const row of recentAggregates.rows) {
    const n = Math.max(1, Number(row.insights));
    const sums = row.sums as SkillAverages;
    const averages = Object.fromEntries(keys.map((k) => [k, (sums[k] ?? 0) / n])) as SkillAverages;
    const list = byUser.get(String(row.user_id)) ?? [];
    list.push(averages);
    byUser.set(String(row.user_id), list);
  }
  const growthByUser = new Map(growth.rows.map((r) => [String(r.user_id), r]));
  const userIds = [...new Set([...sessions.rows.map((r) => r.user_id), ...growthByUser.keys()])].sort();
  const sessionRows = new Map(sessions.rows.map((r) => [r.user_id, r]));

  const reps = userIds.map((userId): RepSummary => {
    const g = growthByUser.get(userId);
    const s = sessionRows.get(userId);
    const current = g ? (g.current as SkillAverages) : null;
    const average = g ? (g.average as SkillAverages) : null;
    const points = byUser.get(userId) ?? [];
    const slope = points.length >= 2 ? trendSlopes(points, keys) : zero();
    const insights = g ? Number(g.insights) : 0;
    return {
      userId,
      sessions: s?.sessions ?? 0,
      lastSessionAt: s?.last_at.toISOString() ?? null,
      insights,
      current,
      average,
      slope,
      slopeSessions: points.length,
      meanCurrent: current ? mean(current, keys) : null,
      meanSlope: mean(slope, keys),
      weakest:
        current && average
          ? weakestSkills({ insights, sessions: 0, firstAt: null, lastAt: null, average, current }, 2, keys)
          : [],
    };
  });

  const withLevels = reps.filter((r) => r.current !== null);
  return {
    rubric,
    reps,
    totals: {
      reps: reps.length,
      sessions: sessions.rows.reduce((acc, r) => acc + r.sessions, 0),
      insights: reps.reduce((acc, r) => acc + r.insights, 0),
      sessionsLast7Days: sessions.rows.reduce((acc, r) => acc + r.last7, 0),
    },
    weekly: fillWeeks(weekly.rows, localDate(options.now, options.timeZone), weeks),
    team: withLevels.length
      ? {
          current: meanOf(
            withLevels.map((r) => r.current!),
            keys,
          ),
          average: meanOf(
            withLevels.map((r) => r.average!),
            keys,
          ),
        }
      : null,
    improved: reps
      .filter((r) => r.slopeSessions >= 3 && r.meanSlope > 0)
      .sort((a, b) => b.meanSlope - a.meanSlope || a.userId.localeCompare(b.userId))
      .slice(0, highlights),
    needsHelp: withLevels
      .sort((a, b) => a.meanCurrent! - b.meanCurrent! || a.userId.localeCompare(b.userId))
      .slice(0, highlights),
  };
};

/** A chart of fewer weeks than this says little. */
const minWeeks = 4;

/**
 * Up to `count` weeks ending this week (or the newest week with sessions, when there were none
 * lately: a team that paused still sees its history), starting no earlier than the first week
 * with sessions (a new team is not shown months of nothing), gaps filled with zeros.
 */
export const fillWeeks = (
  rows: readonly { week: string; sessions: number }[],
  today: string,
  count: number,
): { week: string; sessions: number }[] => {
  const oldest = rows[0]?.week;
  const newest = rows.at(-1)?.week;
  let last = mondayOf(today);
  if (newest && newest < addDays(last, -7 * (count - 1))) last = newest;
  const span = oldest ? Math.floor((Date.parse(last) - Date.parse(oldest)) / (7 * 86_400_000)) + 1 : count;
  const length = Math.max(minWeeks, Math.min(count, span));
  const counts = new Map(rows.map((r) => [r.week, r.sessions]));
  return Array.from({ length }, (_, i) => {
    const week = addDays(last, -7 * (length - 1 - i));
    return { week, sessions: counts.get(week) ?? 0 };
  });
};
