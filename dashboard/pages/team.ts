import { Hono } from 'hono';
import { teamOverview } from '../queries/team.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { teamView } from '../views/team.ts';
import { teamRanking } from './targets.ts';

const recentSessions = 12;

export const teamPage = (rt: DashboardRuntime) =>
  new Hono().get('/dashboard', async (c) => {
    const overview = await teamOverview(rt.deps.pool, {
      timeZone: rt.timeZone,
      now: rt.now(),
      recentSessions,
    });
    const ranking = await teamRanking(
      rt,
      c,
      overview.reps.map((r) => r.userId),
    );
    return c.html(teamView(rt.page(c), overview, recentSessions, ranking));
  });
