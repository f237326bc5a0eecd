import { Hono } from 'hono';
import { listRubricVersions } from '../../projections/rubrics/queries.ts';
import { DEFAULT_TEAM } from '../../schemas/rubrics.ts';
import { dashboardRubric } from '../queries/rubric.ts';
import { teamOverview } from '../queries/team.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { teamView } from '../views/team.ts';

const recentSessions = 12;

export const teamPage = (rt: DashboardRuntime) =>
  new Hono().get('/dashboard', async (c) => {
    // The team page reads the workspace-wide default rubric unless one is picked.
    const rubric = await dashboardRubric(
      rt,
      DEFAULT_TEAM,
      c.req.query('rubric'),
      c.req.query('rubricVersion'),
    );
    const [overview, choices] = await Promise.all([
      teamOverview(rt.deps.pool, {
        timeZone: rt.timeZone,
        now: rt.now(),
        recentSessions,
        rubric,
      }),
      listRubricVersions(rt.deps.pool),
    ]);
    return c.html(teamView(rt.page(c), overview, recentSessions, choices));
  });
