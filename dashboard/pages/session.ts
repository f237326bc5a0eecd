import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { findSession } from '../../projections/dialogue/queries.ts';
import { insightsOfSession } from '../../projections/insights/queries.ts';
import {
  aiScoresOfSession,
  effectiveScores,
  reviewsOfSession,
} from '../../projections/manager-reviews/queries.ts';
import { listRubricVersions } from '../../projections/rubrics/queries.ts';
import { AppError } from '../../schemas/errors.ts';
import { canReview } from '../../write/authorization/policy.ts';
import { requireDashboardScope } from '../auth/session-middleware.ts';
import { assertMayView, viewerOf } from '../auth/viewer.ts';
import { citationCounts } from '../queries/citations.ts';
import { reviewSkills, submitReview } from '../reviews/submit.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { sessionView } from '../views/session.ts';

const SessionIdParam = z.uuid();

/**
 * The transcript: reviewer and ops keys, as `GET /api/v1/sessions/{id}`; people signed in with
 * Slack see their own sessions and (managers) their team's, nobody else's (404). The rep's
 * manager signed in with Slack also gets the review form.
 */
export const sessionPage = (rt: DashboardRuntime) => {
  const app = new Hono();

  app.get('/dashboard/sessions/:sessionId', requireDashboardScope('reviewer'), async (c) => {
    const sessionId = SessionIdParam.safeParse(c.req.param('sessionId'));
    if (!sessionId.success) throw new AppError('NOT_FOUND', 'not a session id');
    const session = await findSession(rt.deps.pool, sessionId.data);
    if (!session) throw new AppError('NOT_FOUND', `no session ${sessionId.data}`);
    await assertMayView(rt, c, session.userId);
    const cited = [...new Set(session.messages.flatMap((m) => m.citations.map((ci) => ci.documentId)))];
    const [insights, counts, sealedReviews, ai, rubrics] = await Promise.all([
      insightsOfSession(rt.deps.pool, sessionId.data),
      cited.length ? citationCounts(rt.deps.pool, cited) : Promise.resolve(new Map<string, number>()),
      reviewsOfSession(rt.deps.pool, sessionId.data),
      aiScoresOfSession(rt.deps.pool, sessionId.data),
      listRubricVersions(rt.deps.pool),
    ]);
    const opened = await rt.deps.personal.openDeep({ ...session, insights, reviews: sealedReviews });
    const viewer = viewerOf(c);
    const mayReview =
      viewer.kind === 'slack' && canReview(viewer.userId, session.userId, await rt.teams.config());
    const saved = c.req.query('reviewed') !== undefined;
    return c.html(
      sessionView(rt.page(c), {
        ...opened,
        citationCounts: counts,
        rubrics,
        reviews: {
          reviews: opened.reviews,
          skills: reviewSkills,
          ai,
          effective: effectiveScores(opened.reviews, ai),
          ...(mayReview
            ? {
                form: {
                  action: `/dashboard/sessions/${sessionId.data}/reviews`,
                  csrf: c.get('dashboardSession').csrf,
                  reviewId: randomUUID(),
                },
              }
            : {}),
          ...(saved ? { saved } : {}),
        },
      }),
    );
  });

  // CSRF is checked for every signed-in POST (requireCsrf) before this runs.
  app.post('/dashboard/sessions/:sessionId/reviews', async (c) => {
    const sessionId = SessionIdParam.safeParse(c.req.param('sessionId'));
    if (!sessionId.success) throw new AppError('NOT_FOUND', 'not a session id');
    const viewer = viewerOf(c);
    if (viewer.kind !== 'slack')
      throw new AppError('FORBIDDEN', 'reviews are given by managers signed in with Slack');
    const session = await findSession(rt.deps.pool, sessionId.data);
    if (!session) throw new AppError('NOT_FOUND', `no session ${sessionId.data}`);
    await assertMayView(rt, c, session.userId);
    const body = await c.req.parseBody();
    await submitReview(rt, {
      sessionId: sessionId.data,
      userId: session.userId,
      reviewerId: viewer.userId,
      form: body,
    });
    return c.redirect(`/dashboard/sessions/${sessionId.data}?reviewed=1`, 303);
  });

  return app;
};
