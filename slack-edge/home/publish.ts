import type { WebClient } from '@slack/web-api';
import type pg from 'pg';
import type { Logger } from '../../schemas/logger.ts';
import { homeView } from '../blocks/home.ts';
import type { LanguageOf } from '../locale.ts';
import { loadDashboard, type PersonalTextOpener } from '../queries/dashboard.ts';
import { type CoachingPlanDeps, coachingPlanBlocks, loadCoachingPlan } from './coaching-plan.ts';

/** Builds a rep's dashboard from the read models and publishes it as their Home tab. */
export const createHomePublisher =
  (deps: {
    pool: pg.Pool;
    client: WebClient;
    languageOf: LanguageOf;
    personal: PersonalTextOpener | null;
    /** Targets, the digest switch and a manager's team growth, below the dashboard. */
    plan?: CoachingPlanDeps;
    clock?: () => Date;
    logger?: Logger;
  }) =>
  async (userId: string): Promise<void> => {
    const [dashboard, language, plan] = await Promise.all([
      loadDashboard(deps.pool, userId, deps.personal),
      deps.languageOf(userId),
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
    const view = homeView(dashboard, language);
    if (plan) view.blocks = [...view.blocks, ...coachingPlanBlocks(plan, language)];
    await deps.client.views.publish({ user_id: userId, view });
  };
