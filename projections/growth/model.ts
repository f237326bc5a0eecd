import { type SkillKey, type SkillScores, skillKeys } from '../../schemas/skills.ts';

/**
 * The growth model, as pure functions over a rep's insights in time order: the same fold serves
 * the live summary table and "as of" any past instant.
 */
export type InsightPoint = { sessionId: string; derivedAt: string; scores: SkillScores };

export type SkillAverages = Record<SkillKey, number>;

export type GrowthState = {
  insights: number;
  sessions: number;
  firstAt: string | null;
  lastAt: string | null;
  /** Mean of every insight. */
  average: SkillAverages;
  /** Exponentially weighted: recent insights count more (the "current level"). */
  current: SkillAverages;
};

/** Weight of the newest insight in the current level. */
export const CURRENT_LEVEL_ALPHA = 0.3;

const zero = (): SkillAverages => Object.fromEntries(skillKeys.map((k) => [k, 0])) as SkillAverages;

export const emptyGrowth = (): GrowthState => ({
  insights: 0,
  sessions: 0,
  firstAt: null,
  lastAt: null,
  average: zero(),
  current: zero(),
});

export const evolveGrowth = (state: GrowthState, point: InsightPoint, newSession: boolean): GrowthState => {
  const n = state.insights + 1;
  const average = zero();
  const current = zero();
  for (const k of skillKeys) {
    average[k] = state.average[k] + (point.scores[k] - state.average[k]) / n;
    current[k] =
      state.insights === 0
        ? point.scores[k]
        : state.current[k] + CURRENT_LEVEL_ALPHA * (point.scores[k] - state.current[k]);
  }
  return {
    insights: n,
    sessions: state.sessions + (newSession ? 1 : 0),
    firstAt: state.firstAt ?? point.derivedAt,
    lastAt: point.derivedAt,
    average,
    current,
  };
};

export const foldGrowth = (points: readonly InsightPoint[]): GrowthState => {
  const seen = new Set<string>();
  let state = emptyGrowth();
  for (const p of points) {
    state = evolveGrowth(state, p, !seen.has(p.sessionId));
    seen.add(p.sessionId);
  }
  return state;
};

/** The skills with the lowest current level, weakest first. */
export const weakestSkills = (state: GrowthState, count = 2): SkillKey[] =>
  state.insights === 0
    ? []
    : [...skillKeys].sort((a, b) => state.current[a] - state.current[b]).slice(0, count);

/** Least-squares slope per skill over session averages (points per session): > 0 is improving. */
export const trendSlopes = (sessionAverages: readonly SkillAverages[]): SkillAverages => {
  const slopes = zero();
  const n = sessionAverages.length;
  if (n < 2) return slopes;
  const meanX = (n - 1) / 2;
  const denominator = sessionAverages.reduce((acc, _, x) => acc + (x - meanX) ** 2, 0);
  for (const k of skillKeys) {
    const meanY = sessionAverages.reduce((acc, s) => acc + s[k], 0) / n;
    const numerator = sessionAverages.reduce((acc, s, x) => acc + (x - meanX) * (s[k] - meanY), 0);
    slopes[k] = numerator / denominator;
  }
  return slopes;
};

export const round2 = (v: number) => Math.round(v * 100) / 100;
