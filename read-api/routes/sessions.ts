import { Hono } from 'hono';
import { findSession } from '../../projections/dialogue/queries.ts';
import { insightsOfSession } from '../../projections/insights/queries.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import { SessionDetail, SessionParams } from '../../schemas/api/read-models.ts';
import { AppError } from '../../schemas/errors.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';
import type { ReadModelDeps } from './read-model-deps.ts';

export const sessionRoutes = (deps: ReadModelDeps) => {
  const app = new Hono();
  app.get('/api/v1/sessions/:sessionId', async (c) => {
    const { sessionId } = SessionParams.parse(c.req.param());
    const session = await findSession(deps.pool, sessionId);
    if (!session) throw new AppError('NOT_FOUND', `no session ${sessionId}`);
    return c.json({ ...session, insights: await insightsOfSession(deps.pool, sessionId) });
  });
  return app;
};

export const sessionRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/sessions/:sessionId',
    summary: 'One session with its messages and the insights derived from it',
    description: 'The transcript: needs a `reviewer` (or `ops`) key; `analyst` keys get 403.',
    tags: ['dialogue'],
    security: 'reviewer',
    params: SessionParams,
    responses: {
      200: { description: 'The session', schema: SessionDetail },
      400: { description: 'Not a session id', schema: ErrorBody },
      403: { description: 'The key lacks the reviewer scope', schema: ErrorBody },
      404: { description: 'No such session', schema: ErrorBody },
    },
  },
];
