import type pg from 'pg';
import { listSessions } from '../../projections/dialogue/queries.ts';
import { growthHistory } from '../../projections/growth/queries.ts';
import { listInsights } from '../../projections/insights/queries.ts';
import { noTeams, type TeamsConfig, viewRubricOf } from '../../projections/rubrics/queries.ts';
import type { HistoryResponse, InsightView, SessionSummary } from '../../schemas/api/read-models.ts';
import { coreRubric, type Rubric } from '../../schemas/rubrics.ts';

/** What `/ai_history` and the Home tab show of a rep, from the read models. */
export type Dashboard = {
  /** The rubric version the scores are on (the rep's team's current rubric). */
  rubric: Rubric;
  history: HistoryResponse | null;
  recentSessions: SessionSummary[];
  latestInsight: InsightView | null;
};

const undefinedTable = '42P01';

/** A read model that is not built yet (a fresh install) reads as empty rather than failing. */
export const orEmpty = async <T>(read: () => Promise<T>, empty: T): Promise<T> => {
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: string }).code === undefinedTable) return empty;
    throw error;
  }
};

/** Read tables hold personal text sealed (encryption at rest); this opens it for showing. */
export type PersonalTextOpener = { openDeep<T>(value: T): Promise<T> };

export const loadDashboard = async (
  pool: pg.Pool,
  userId: string,
  personal: PersonalTextOpener | null,
  teams: TeamsConfig = noTeams,
  sessions = 5,
): Promise<Dashboard> => {
  const rubric = await orEmpty(
    async () => (await viewRubricOf(pool, userId, teams)) ?? coreRubric,
    coreRubric,
  );
  const ref = { id: rubric.id, version: rubric.version };
  const [history, page, insights] = await Promise.all([
    orEmpty(() => growthHistory(pool, userId, {}, rubric), null),
    orEmpty(() => listSessions(pool, userId, sessions, null), { items: [], nextCursor: null }),
    orEmpty(() => listInsights(pool, userId, { limit: 1, cursor: null, rubric: ref }), {
      items: [],
      nextCursor: null,
    }),
  ]);
  const dashboard: Dashboard = {
    rubric,
    history,
    recentSessions: page.items,
    latestInsight: insights.items[0] ?? null,
  };
  return personal ? personal.openDeep(dashboard) : dashboard;
};
