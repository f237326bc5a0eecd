import type pg from 'pg';
import type { HistoryResponse } from '../../schemas/api/read-models.ts';
import { type SkillKey, skillKeys } from '../../schemas/skills.ts';
import {
  foldGrowth,
  type GrowthState,
  round2,
  type SkillAverages,
  trendSlopes,
  weakestSkills,
} from './model.ts';

type SessionAggregate = { sessionId: string; startedAt: string; insights: number; sums: SkillAverages };

const zero = () => Object.fromEntries(skillKeys.map((k) => [k, 0])) as SkillAverages;
const roundAll = (v: SkillAverages) =>
  Object.fromEntries(skillKeys.map((k) => [k, round2(v[k])])) as Record<SkillKey, number>;

/** ISO 8601 week of an instant, e.g. `2026-W02`. */
export const isoWeek = (iso: string): string => {
  const date = new Date(iso);
  const day = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week =
    1 +
    Math.round(
      ((thursday.getTime() - firstThursday.getTime()) / 86_400_000 -
        3 +
        ((firstThursday.getUTCDay() + 6) % 7)) /
        7,
    );
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

const liveState = async (pool: pg.Pool, userId: string) => {
  const { rows } = await pool.query<Record<string, unknown>>('SELECT * FROM user_growth WHERE user_id = $1', [
    userId,
  ]);
  const row = rows[0];
  const { rows: sessions } = await pool.query<Record<string, unknown>>(
    `SELECT g.*, coalesce(d.started_at, g.first_at) AS started_at
       FROM growth_sessions g LEFT JOIN dialogue_sessions d ON d.session_id = g.session_id
      WHERE g.user_id = $1 ORDER BY started_at, g.session_id`,
    [userId],
  );
  const state: GrowthState | null = row
    ? {
        insights: Number(row.insights),
        sessions: Number(row.sessions),
        firstAt: (row.first_at as Date | null)?.toISOString() ?? null,
        lastAt: (row.last_at as Date | null)?.toISOString() ?? null,
        average: Object.fromEntries(skillKeys.map((k) => [k, Number(row[`avg_${k}`])])) as SkillAverages,
        current: Object.fromEntries(skillKeys.map((k) => [k, Number(row[`cur_${k}`])])) as SkillAverages,
      }
    : null;
  const aggregates: SessionAggregate[] = sessions.map((s) => ({
    sessionId: String(s.session_id),
    startedAt: (s.started_at as Date).toISOString(),
    insights: Number(s.insights),
    sums: Object.fromEntries(skillKeys.map((k) => [k, Number(s[`sum_${k}`])])) as SkillAverages,
  }));
  return { state, aggregates };
};

/**
 * The growth state as of an instant, folded from the rep's insights up to then (the insight log
 * is a faithful copy of the InsightDerived events, in event order).
 */
const stateAsOf = async (pool: pg.Pool, userId: string, asOf: string) => {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT i.*, coalesce(d.started_at, i.derived_at) AS session_started_at
       FROM conversation_insights i LEFT JOIN dialogue_sessions d ON d.session_id = i.session_id
      WHERE i.user_id = $1 AND i.derived_at <= $2::timestamptz
      ORDER BY i.commit_position, i.prepare_position`,
    [userId, asOf],
  );
  const points = rows.map((r) => ({
    sessionId: String(r.session_id),
    derivedAt: (r.derived_at as Date).toISOString(),
    startedAt: (r.session_started_at as Date).toISOString(),
    scores: Object.fromEntries(skillKeys.map((k) => [k, Number(r[k])])) as SkillAverages as never,
  }));
  const state = points.length ? foldGrowth(points) : null;
  const bySession = new Map<string, SessionAggregate>();
  for (const p of points) {
    const agg = bySession.get(p.sessionId) ?? {
      sessionId: p.sessionId,
      startedAt: p.startedAt,
      insights: 0,
      sums: zero(),
    };
    agg.insights++;
    for (const k of skillKeys) agg.sums[k] += (p.scores as SkillAverages)[k];
    bySession.set(p.sessionId, agg);
  }
  const aggregates = [...bySession.values()].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.sessionId.localeCompare(b.sessionId),
  );
  return { state, aggregates };
};

const averageOf = (agg: SessionAggregate): SkillAverages =>
  Object.fromEntries(skillKeys.map((k) => [k, agg.sums[k] / Math.max(1, agg.insights)])) as SkillAverages;

/** Growth history: the profile, scores per session, weekly averages and the trend. Null when the rep has none. */
export const growthHistory = async (
  pool: pg.Pool,
  userId: string,
  query: { from?: string | undefined; to?: string | undefined; asOf?: string | undefined },
): Promise<HistoryResponse | null> => {
  const { state, aggregates } = query.asOf
    ? await stateAsOf(pool, userId, query.asOf)
    : await liveState(pool, userId);
  if (!state) return null;
  const from = query.from ? Date.parse(query.from) : Number.NEGATIVE_INFINITY;
  const to = query.to ? Date.parse(query.to) : Number.POSITIVE_INFINITY;
  const inRange = aggregates.filter((a) => {
    const t = Date.parse(a.startedAt);
    return t >= from && t <= to;
  });
  const weeks = new Map<string, { sessions: number; insights: number; sums: SkillAverages }>();
  for (const a of inRange) {
    const week = isoWeek(a.startedAt);
    const w = weeks.get(week) ?? { sessions: 0, insights: 0, sums: zero() };
    w.sessions++;
    w.insights += a.insights;
    for (const k of skillKeys) w.sums[k] += a.sums[k];
    weeks.set(week, w);
  }
  return {
    userId,
    asOf: query.asOf ? new Date(query.asOf).toISOString() : null,
    from: query.from ?? null,
    to: query.to ?? null,
    profile: {
      insights: state.insights,
      sessions: state.sessions,
      firstAt: state.firstAt,
      lastAt: state.lastAt,
      average: roundAll(state.average),
      current: roundAll(state.current),
      weakest: weakestSkills(state),
    },
    sessions: inRange.map((a) => ({
      sessionId: a.sessionId,
      startedAt: a.startedAt,
      insights: a.insights,
      scores: roundAll(averageOf(a)),
    })),
    trend: {
      slope: roundAll(trendSlopes(inRange.map(averageOf))),
      weekly: [...weeks.entries()].map(([week, w]) => ({
        week,
        sessions: w.sessions,
        insights: w.insights,
        scores: roundAll(
          Object.fromEntries(skillKeys.map((k) => [k, w.sums[k] / Math.max(1, w.insights)])) as SkillAverages,
        ),
      })),
    },
  };
};

/** The rep's weakest skills now (for the coach's prompt): one row of the growth summary. */
export const weakestSkillsOf = async (pool: pg.Pool, userId: string): Promise<SkillKey[] | null> => {
  const { rows } = await pool.query<Record<string, unknown>>('SELECT * FROM user_growth WHERE user_id = $1', [
    userId,
  ]);
  const row = rows[0];
  if (!row) return null;
  const current = Object.fromEntries(skillKeys.map((k) => [k, Number(row[`cur_${k}`])])) as SkillAverages;
  return weakestSkills({
    insights: Number(row.insights),
    sessions: 0,
    firstAt: null,
    lastAt: null,
    average: current,
    current,
  });
};
