import { Hono } from 'hono';
import { calibrationOf } from '../../projections/manager-reviews/queries.ts';
import { viewerIsManager, viewerOf, visibleUserIds } from '../auth/viewer.ts';
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
    const overview = await teamOverview(rt.deps.pool, {
      timeZone: rt.timeZone,
      now: rt.now(),
      recentSessions,
      ...(only ? { userIds: only } : {}),
    });
    // Agreement of managers and the AI over the reviewed sessions of the reps shown.
    const reps = overview.reps.map((r) => r.userId);
    const [calibration, ranking] = await Promise.all([
      calibrationOf(rt.deps.pool, reps),
      teamRanking(rt, c, reps),
    ]);
    return c.html(teamView(rt.page(c), overview, recentSessions, calibration, ranking));
  });
