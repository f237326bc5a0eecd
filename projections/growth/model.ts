/**
 * The growth model, as pure functions over a rep's insights on ONE rubric version in time order:
 * the same fold serves the live summary table and "as of" any past instant. Scores are records
 * keyed by the rubric's skill keys (every insight of a rubric version names the same keys).
 */
export type SkillAverages = Record<string, number>;

export type InsightPoint = { sessionId: string; derivedAt: string; scores: SkillAverages };

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

export const zeroFor = (keys: readonly string[]): SkillAverages =>
  Object.fromEntries(keys.map((k) => [k, 0]));

export const emptyGrowth = (): GrowthState => ({
  insights: 0,
  sessions: 0,
  firstAt: null,
  lastAt: null,
  average: {},
  current: {},
});

export const evolveGrowth = (state: GrowthState, point: InsightPoint, newSession: boolean): GrowthState => {
  const n = state.insights + 1;
  const average: SkillAverages = {};
  const current: SkillAverages = {};
  for (const [k, score] of Object.entries(point.scores)) {
    const avg = state.average[k] ?? 0;
    const cur = state.current[k] ?? 0;
    average[k] = avg + (score - avg) / n;
    current[k] = state.insights === 0 ? score : cur + CURRENT_LEVEL_ALPHA * (score - cur);
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

/** The skills with the lowest current level, weakest first (ties keep the given order). */
export const weakestSkills = (state: GrowthState, count = 2, order?: readonly string[]): string[] => {
  if (state.insights === 0) return [];
  const keys = order ?? Object.keys(state.current);
  return [...keys].sort((a, b) => (state.current[a] ?? 0) - (state.current[b] ?? 0)).slice(0, count);
};

/** Least-squares slope per skill over session averages (points per session): > 0 is improving. */
export const trendSlopes = (
  sessionAverages: readonly SkillAverages[],
  keys: readonly string[],
): SkillAverages => {
  const slopes = zeroFor(keys);
  const n = sessionAverages.length;
  if (n < 2) return slopes;
  const meanX = (n - 1) / 2;
  const denominator = sessionAverages.reduce((acc, _, x) => acc + (x - meanX) ** 2, 0);
  for (const k of keys) {
    const meanY = sessionAverages.reduce((acc, s) => acc + (s[k] ?? 0), 0) / n;
    const numerator = sessionAverages.reduce((acc, s, x) => acc + (x - meanX) * ((s[k] ?? 0) - meanY), 0);
    slopes[k] = numerator / denominator;
  }
  return slopes;
};

export const round2 = (v: number) => Math.round(v * 100) / 100;
