import { Hono } from 'hono';
import { z } from 'zod';
import { findSession } from '../../projections/dialogue/queries.ts';
import { insightsOfSession } from '../../projections/insights/queries.ts';
import { listRubricVersions } from '../../projections/rubrics/queries.ts';
import { AppError } from '../../schemas/errors.ts';
import { requireDashboardScope } from '../auth/session-middleware.ts';
import { citationCounts } from '../queries/citations.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { sessionView } from '../views/session.ts';

/** The transcript: reviewer and ops keys only, as `GET /api/v1/sessions/{id}`. */
export const sessionPage = (rt: DashboardRuntime) =>
  new Hono().get('/dashboard/sessions/:sessionId', requireDashboardScope('reviewer'), async (c) => {
    const sessionId = z.uuid().safeParse(c.req.param('sessionId'));
    if (!sessionId.success) throw new AppError('NOT_FOUND', 'not a session id');
    const session = await findSession(rt.deps.pool, sessionId.data);
    if (!session) throw new AppError('NOT_FOUND', `no session ${sessionId.data}`);
    const cited = [...new Set(session.messages.flatMap((m) => m.citations.map((ci) => ci.documentId)))];
    const [insights, counts, rubrics] = await Promise.all([
      insightsOfSession(rt.deps.pool, sessionId.data),
      cited.length ? citationCounts(rt.deps.pool, cited) : Promise.resolve(new Map<string, number>()),
      listRubricVersions(rt.deps.pool),
    ]);
    const opened = await rt.deps.personal.openDeep({ ...session, insights });
    return c.html(sessionView(rt.page(c), { ...opened, citationCounts: counts, rubrics }));
  });
