import { Hono } from 'hono';
import { calibrationOf } from '../../projections/manager-reviews/queries.ts';
import { listRubricVersions } from '../../projections/rubrics/queries.ts';
import { DEFAULT_TEAM } from '../../schemas/rubrics.ts';
import { viewerIsManager, viewerOf, visibleUserIds } from '../auth/viewer.ts';
import { dashboardRubric } from '../queries/rubric.ts';
import { teamOverview } from '../queries/team.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { teamView } from '../views/team.ts';
import { teamRanking } from './targets.ts';

const recentSessions = 12;

export const teamPage = (rt: DashboardRuntime) =>
  new Hono().get('/dashboard', async (c) => {
    // Signed in with Slack: a rep's "team" is themself (their own page); a manager's is their team.
    const viewer = viewerOf(c);
    if (viewer.kind === 'slack' && !(await viewerIsManager(rt, c))) {
      return c.redirect(`/dashboard/reps/${encodeURIComponent(viewer.userId)}`, 303);
    }
    const only = await visibleUserIds(rt, c);
    // The team page reads the workspace-wide default rubric (a manager's: their team's) unless one is picked.
    const rubric = await dashboardRubric(
      rt,
      viewer.kind === 'slack' ? viewer.userId : DEFAULT_TEAM,
      c.req.query('rubric'),
      c.req.query('rubricVersion'),
    );
    const [overview, choices] = await Promise.all([
      teamOverview(rt.deps.pool, {
        timeZone: rt.timeZone,
        now: rt.now(),
        recentSessions,
        rubric,
        ...(only ? { userIds: only } : {}),
      }),
      listRubricVersions(rt.deps.pool),
    ]);
    // Agreement of managers and the AI over the reviewed sessions of the reps shown.
    const reps = overview.reps.map((r) => r.userId);
    const [calibration, ranking] = await Promise.all([
      calibrationOf(rt.deps.pool, reps),
      teamRanking(rt, c, reps, rubric),
    ]);
    return c.html(teamView(rt.page(c), overview, recentSessions, choices, calibration, ranking));
  });
