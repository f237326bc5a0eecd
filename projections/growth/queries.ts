import type pg from 'pg';
import type { HistoryResponse } from '../../schemas/api/read-models.ts';
import { coreRubric, type Rubric, type RubricRef } from '../../schemas/rubrics.ts';
import type { SkillKey } from '../../schemas/skills.ts';
import {
  foldGrowth,
  type GrowthState,
  round2,
  type SkillAverages,
  trendSlopes,
  weakestSkills,
  zeroFor,
} from './model.ts';

/** One session's scores on one rubric version: the sums of its insights and how many there were. */
export type SessionAggregate = {
  sessionId: string;
  startedAt: string;
  insights: number;
  sums: SkillAverages;
};

/** The rubric's skill keys in its own order (rows keep scores as jsonb, which orders keys its own way). */
const keysOf = (rubric: Pick<Rubric, 'skills'>) => rubric.skills.map((s) => s.key);

const ordered = (values: SkillAverages, keys: readonly string[], map = (v: number) => v) =>
  Object.fromEntries(keys.map((k) => [k, map(values[k] ?? 0)]));

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

const stateOfRow = (row: Record<string, unknown>): GrowthState => ({
  insights: Number(row.insights),
  sessions: Number(row.sessions),
  firstAt: (row.first_at as Date | null)?.toISOString() ?? null,
  lastAt: (row.last_at as Date | null)?.toISOString() ?? null,
  average: row.average as SkillAverages,
  current: row.current as SkillAverages,
});

/**
 * A rep's per-session scores on one rubric version, oldest session first: what growth, targets
 * and reviews compare against.
 */
export const sessionScoresOf = async (
  pool: pg.Pool,
  userId: string,
  rubric: RubricRef,
): Promise<SessionAggregate[]> => {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT g.*, coalesce(d.started_at, g.first_at) AS started_at
       FROM growth_sessions g LEFT JOIN dialogue_sessions d ON d.session_id = g.session_id
      WHERE g.user_id = $1 AND g.rubric_id = $2 AND g.rubric_version = $3
      ORDER BY started_at, g.session_id`,
    [userId, rubric.id, rubric.version],
  );
  return rows.map((s) => ({
    sessionId: String(s.session_id),
    startedAt: (s.started_at as Date).toISOString(),
    insights: Number(s.insights),
    sums: s.sums as SkillAverages,
  }));
};

/** A rep's growth summary on one rubric version, or null when they have no scores on it. */
export const growthSummaryOf = async (
  pool: pg.Pool,
  userId: string,
  rubric: RubricRef,
): Promise<GrowthState | null> => {
  const { rows } = await pool.query<Record<string, unknown>>(
    'SELECT * FROM user_growth WHERE user_id = $1 AND rubric_id = $2 AND rubric_version = $3',
    [userId, rubric.id, rubric.version],
  );
  return rows[0] ? stateOfRow(rows[0]) : null;
};

const liveState = async (pool: pg.Pool, userId: string, rubric: RubricRef) => ({
  state: await growthSummaryOf(pool, userId, rubric),
  aggregates: await sessionScoresOf(pool, userId, rubric),
});

/**
 * The growth state as of an instant, folded from the rep's insights on the rubric version up to
 * then (the insight log is a faithful copy of the InsightDerived events, in event order).
 */
const stateAsOf = async (pool: pg.Pool, userId: string, asOf: string, rubric: RubricRef) => {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT i.*, coalesce(d.started_at, i.derived_at) AS session_started_at
       FROM conversation_insights i LEFT JOIN dialogue_sessions d ON d.session_id = i.session_id
      WHERE i.user_id = $1 AND i.rubric_id = $3 AND i.rubric_version = $4 AND i.derived_at <= $2::timestamptz
      ORDER BY i.commit_position, i.prepare_position`,
    [userId, asOf, rubric.id, rubric.version],
  );
  const points = rows.map((r) => ({
    sessionId: String(r.session_id),
    derivedAt: (r.derived_at as Date).toISOString(),
    startedAt: (r.session_started_at as Date).toISOString(),
    scores: r.scores as SkillAverages,
  }));
  const state = points.length ? foldGrowth(points) : null;
  const bySession = new Map<string, SessionAggregate>();
  for (const p of points) {
    const agg = bySession.get(p.sessionId) ?? {
      sessionId: p.sessionId,
      startedAt: p.startedAt,
      insights: 0,
      sums: {},
    };
    agg.insights++;
    for (const [k, v] of Object.entries(p.scores)) agg.sums[k] = (agg.sums[k] ?? 0) + v;
    bySession.set(p.sessionId, agg);
  }
  const aggregates = [...bySession.values()].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.sessionId.localeCompare(b.sessionId),
  );
  return { state, aggregates };
};

/** A session's mean score per skill (of its insights on the rubric version). */
export const averageOf = (agg: SessionAggregate, keys: readonly string[]): SkillAverages =>
  Object.fromEntries(keys.map((k) => [k, (agg.sums[k] ?? 0) / Math.max(1, agg.insights)]));

/**
 * Growth history on one rubric version: the profile, scores per session, weekly averages and the
 * trend. Null when the rep has no scores on it.
 */
export const growthHistory = async (
  pool: pg.Pool,
  userId: string,
  query: { from?: string | undefined; to?: string | undefined; asOf?: string | undefined },
  rubric: Rubric = coreRubric,
): Promise<HistoryResponse | null> => {
  const ref = { id: rubric.id, version: rubric.version };
  const keys = keysOf(rubric);
  const { state, aggregates } = query.asOf
    ? await stateAsOf(pool, userId, query.asOf, ref)
    : await liveState(pool, userId, ref);
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
    const w = weeks.get(week) ?? { sessions: 0, insights: 0, sums: zeroFor(keys) };
    w.sessions++;
    w.insights += a.insights;
    for (const k of keys) w.sums[k] = (w.sums[k] ?? 0) + (a.sums[k] ?? 0);
    weeks.set(week, w);
  }
  return {
    userId,
    rubric: ref,
    asOf: query.asOf ? new Date(query.asOf).toISOString() : null,
    from: query.from ?? null,
    to: query.to ?? null,
    profile: {
      insights: state.insights,
      sessions: state.sessions,
      firstAt: state.firstAt,
      lastAt: state.lastAt,
      average: ordered(state.average, keys, round2),
      current: ordered(state.current, keys, round2),
      weakest: weakestSkills(state, 2, keys),
    },
    sessions: inRange.map((a) => ({
      sessionId: a.sessionId,
      startedAt: a.startedAt,
      insights: a.insights,
      scores: ordered(averageOf(a, keys), keys, round2),
    })),
    trend: {
      slope: ordered(
        trendSlopes(
          inRange.map((a) => averageOf(a, keys)),
          keys,
        ),
        keys,
        round2,
      ),
      weekly: [...weeks.entries()].map(([week, w]) => ({
        week,
        sessions: w.sessions,
        insights: w.insights,
        scores: ordered(
          Object.fromEntries(keys.map((k) => [k, (w.sums[k] ?? 0) / Math.max(1, w.insights)])),
          keys,
          round2,
        ),
      })),
    },
  };
};

/** The rep's weakest core skills now (for the coach's prompt): one row of the growth summary. */
export const weakestSkillsOf = async (pool: pg.Pool, userId: string): Promise<SkillKey[] | null> => {
  const state = await growthSummaryOf(pool, userId, coreRubric);
  if (!state) return null;
  return weakestSkills(state, 2, keysOf(coreRubric)) as SkillKey[];
};
