import type { WebClient } from '@slack/web-api';
import type pg from 'pg';
import type { TeamsConfig } from '../../projections/rubrics/queries.ts';
import { homeView } from '../blocks/home.ts';
import type { LanguageOf } from '../locale.ts';
import { loadDashboard, type PersonalTextOpener } from '../queries/dashboard.ts';

/** Builds a rep's dashboard from the read models and publishes it as their Home tab. */
export const createHomePublisher =
  (deps: {
    pool: pg.Pool;
    client: WebClient;
    languageOf: LanguageOf;
    personal: PersonalTextOpener | null;
    /** MANAGER_USER_IDS and TEAMS: which team's rubric a rep's scores are shown on. */
    teams?: TeamsConfig;
  }) =>
  async (userId: string): Promise<void> => {
    const [dashboard, language] = await Promise.all([
      loadDashboard(deps.pool, userId, deps.personal, deps.teams),
      deps.languageOf(userId),
    ]);
    await deps.client.views.publish({ user_id: userId, view: homeView(dashboard, language) });
  };
