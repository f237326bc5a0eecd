import type pg from 'pg';
import type { RubricRef } from '../../schemas/rubrics.ts';
import { type GrowthRank, rankGrowth } from './ranking.ts';
import { recentSessions } from './recent.ts';

/**
 * Slack display names by user id (the Slack edge's cached users.info lookup, wired in by ops);
 * an id it cannot name in time is absent, and shown as the id.
 */
export type DisplayNames = (userIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;

export const noDisplayNames: DisplayNames = async () => new Map();

export type RankedMember = GrowthRank & { rank: number; displayName: string };

/**
 * A team ranked by recent growth (steepest slope first) on one rubric version (default core v1),
 * each rep with their display name.
 */
export const teamGrowth = async (
  pool: pg.Pool,
  members: readonly string[],
  options: { window: number; displayNames: DisplayNames; rubric?: RubricRef },
): Promise<RankedMember[]> => {
  const [sessions, names] = await Promise.all([
    recentSessions(pool, members, options.window, options.rubric),
    options.displayNames(members).catch(() => new Map<string, string>()),
  ]);
  return rankGrowth(members, sessions).map((r, i) => ({
    ...r,
    rank: i + 1,
    displayName: names.get(r.userId) ?? r.userId,
  }));
};
