import { round2, type SkillAverages, trendSlopes } from './model.ts';
import type { SessionPoint } from './recent.ts';

export type GrowthRank = {
  userId: string;
  /** Mean over the skills of the least-squares slope of the session averages (points per session); null under two sessions. */
  slope: number | null;
  slopes: Record<string, number> | null;
  /** Sessions in the window. */
  sessions: number;
  /** Mean of the latest session's averages over the skills; null without a session. */
  latest: number | null;
  lastSessionAt: string | null;
};

const mean = (v: SkillAverages) => {
  const values = Object.values(v);
  return values.length === 0 ? 0 : values.reduce((acc, x) => acc + x, 0) / values.length;
};

/** One rep's growth over their recent sessions. */
export const growthOf = (userId: string, sessions: readonly SessionPoint[]): GrowthRank => {
  const last = sessions.at(-1);
  const keys = Object.keys(sessions[0]?.averages ?? {});
  const slopes =
    sessions.length >= 2
      ? trendSlopes(
          sessions.map((s) => s.averages),
          keys,
        )
      : null;
  return {
    userId,
    slope: slopes ? round2(mean(slopes)) : null,
    slopes: slopes ? Object.fromEntries(keys.map((k) => [k, round2(slopes[k] ?? 0)])) : null,
    sessions: sessions.length,
    latest: last ? round2(mean(last.averages)) : null,
    lastSessionAt: last?.startedAt ?? null,
  };
};

/**
 * Ranks reps by growth, not by level: steepest slope first; reps with too few sessions for a
 * slope come last. Ties keep a stable order (by user id).
 */
export const rankGrowth = (
  userIds: readonly string[],
  sessions: ReadonlyMap<string, readonly SessionPoint[]>,
): GrowthRank[] =>
  userIds
    .map((id) => growthOf(id, sessions.get(id) ?? []))
    .sort((a, b) => {
      if (a.slope === null || b.slope === null) {
        if (a.slope !== b.slope) return a.slope === null ? 1 : -1;
      } else if (a.slope !== b.slope) return b.slope - a.slope;
      return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
    });
