import type { WebClient } from '@slack/web-api';
import type pg from 'pg';
import { latestReviewsOfRep } from '../../projections/manager-reviews/queries.ts';
import type { Logger } from '../../schemas/logger.ts';
import { isManager, teamOf } from '../../write/authorization/policy.ts';
import type { TeamDirectory } from '../../write/authorization/team-directory.ts';
import { homeView } from '../blocks/home.ts';
import { homeReviewBlocks, homeTeamBlocks } from '../blocks/review.ts';
import type { LanguageOf } from '../locale.ts';
import { loadDashboard, orEmpty, type PersonalTextOpener } from '../queries/dashboard.ts';
import { recentTeamSessions } from '../queries/team-sessions.ts';
import { type CoachingPlanDeps, coachingPlanBlocks, loadCoachingPlan } from './coaching-plan.ts';

/**
 * Builds a rep's dashboard from the read models and publishes it as their Home tab: with their
 * latest manager reviews and their targets (with the digest switch), and for a manager their
 * team's growth ranking and newest sessions with a Review button.
 */
export const createHomePublisher =
  (deps: {
    pool: pg.Pool;
    client: WebClient;
    languageOf: LanguageOf;
    personal: PersonalTextOpener | null;
    teams?: TeamDirectory;
    /** Targets, the digest switch and a manager's team growth, below the dashboard. */
    plan?: CoachingPlanDeps;
    clock?: () => Date;
    logger?: Logger;
  }) =>
  async (userId: string): Promise<void> => {
    const config = deps.teams ? await deps.teams.config() : null;
    const team = config && isManager(userId, config) ? teamOf(userId, config) : null;
    const [dashboard, language, sealedReviews, teamSessions, plan] = await Promise.all([
      loadDashboard(deps.pool, userId, deps.personal, config ?? undefined),
      deps.languageOf(userId),
      orEmpty(() => latestReviewsOfRep(deps.pool, userId, 3), []),
      team ? orEmpty(() => recentTeamSessions(deps.pool, team, 8), []) : Promise.resolve(null),
      // The plan's read models may be missing (a projection not built yet): the Home goes out without it.
      deps.plan
        ? loadCoachingPlan(deps.pool, deps.plan, userId, (deps.clock ?? (() => new Date()))()).catch(
            (error: unknown) => {
              deps.logger?.warn(
                { err: error, userId },
                'slack: Home without targets (read models unavailable)',
              );
              return null;
            },
          )
        : null,
    ]);
    const reviews = deps.personal ? await deps.personal.openDeep(sealedReviews) : sealedReviews;
    const view = homeView(dashboard, language);
    view.blocks.push(...homeReviewBlocks(reviews, language));
    if (plan) view.blocks.push(...coachingPlanBlocks(plan, language));
    if (teamSessions) view.blocks.push(...homeTeamBlocks(teamSessions, language));
    await deps.client.views.publish({ user_id: userId, view });
  };
