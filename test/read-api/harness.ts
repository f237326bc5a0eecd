import type { SafeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import {
  type CoachingPlanDeps,
  coachingPlanRouteSpecs,
  coachingPlanRoutes,
} from '../../read-api/routes/coaching-plan.ts';
import {
  knowledgeDocumentRouteSpecs,
  knowledgeDocumentRoutes,
} from '../../read-api/routes/knowledge-documents.ts';
import { readModelRoutes } from '../../read-api/routes/read-models.ts';
import type { AuthorizationConfig } from '../../write/authorization/policy.ts';
import { staticTeamDirectory } from '../../write/authorization/team-directory.ts';
import type { TestDatabase } from '../helpers/postgres.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

export { analystKey, opsKey, reviewerKey } from '../helpers/test-api.ts';

export type ReadApiHarness = TestApi;

export type ReadApiOptions = {
  /** The cache (default: in-process); a Redis-backed one makes several harnesses share it. */
  cache?: SafeCache;
  /** Runs the projectors in this harness (default); false for a second API process without them. */
  projectors?: boolean;
  /** MANAGER_USER_IDS and TEAMS: which team's rubric a rep's growth is shown on by default, calibration. */
  teams?: AuthorizationConfig;
  /** Targets and team growth: who manages whom, and the display names (default: none). */
  coachingPlan?: Partial<Pick<CoachingPlanDeps, 'teams' | 'displayNames' | 'clock'>>;
};

/** The real read API (routes, auth, limits) over a test schema, with the real projectors running. */
export const startReadApi = (
  db: TestDatabase,
  { coachingPlan, teams, ...options }: ReadApiOptions = {},
): Promise<ReadApiHarness> =>
  startTestApi(db, {
    ...options,
    routes: ({ store, codec, cache, projectors }) => [
      ...readModelRoutes({
        pool: db.pool,
        cache,
        store,
        projections,
        runners: () => projectors.runners,
        ...(teams ? { teams: staticTeamDirectory(teams) } : {}),
      }),
      { app: knowledgeDocumentRoutes({ store, codec }), specs: knowledgeDocumentRouteSpecs },
      {
        app: coachingPlanRoutes({
          pool: db.pool,
          store,
          codec,
          teams: staticTeamDirectory({ managerUserIds: [], teams: {} }),
          window: 8,
          timeZone: 'Asia/Tokyo',
          displayNames: async () => new Map(),
          ...coachingPlan,
        }),
        specs: coachingPlanRouteSpecs,
      },
    ],
  });
