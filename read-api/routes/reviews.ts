import { Hono } from 'hono';
import { findSession } from '../../projections/dialogue/queries.ts';
import {
  aiScoresOfSession,
  calibrationOf,
  effectiveScores,
  reviewsOfSession,
} from '../../projections/manager-reviews/queries.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import { SessionParams } from '../../schemas/api/read-models.ts';
import { CalibrationResponse, ManagerIdParams, SessionReviewsResponse } from '../../schemas/api/reviews.ts';
import { AppError } from '../../schemas/errors.ts';
import { isManager, teamOf } from '../../write/authorization/policy.ts';
import { staticTeamDirectory, type TeamDirectory } from '../../write/authorization/team-directory.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';
import type { ReadModelDeps } from './read-model-deps.ts';

/** Manager reviews of a session, and how far a manager's team's reviews agree with the AI. */
export const reviewRoutes = (deps: ReadModelDeps & { teams?: TeamDirectory }) => {
  const teams = deps.teams ?? staticTeamDirectory({ managerUserIds: [], teams: {} });
  const app = new Hono();
  app.get('/api/v1/sessions/:sessionId/reviews', async (c) => {
    const { sessionId } = SessionParams.parse(c.req.param());
    const session = await findSession(deps.pool, sessionId);
    if (!session) throw new AppError('NOT_FOUND', `no session ${sessionId}`);
    const [reviews, ai] = await Promise.all([
      reviewsOfSession(deps.pool, sessionId),
      aiScoresOfSession(deps.pool, sessionId),
    ]);
    return c.json({
      sessionId,
      userId: session.userId,
      reviews,
      ai,
      effective: effectiveScores(reviews, ai),
    });
  });
  app.get('/api/v1/teams/:managerId/calibration', async (c) => {
    const { managerId } = ManagerIdParams.parse(c.req.param());
    const config = await teams.config();
    if (!isManager(managerId, config)) throw new AppError('NOT_FOUND', `${managerId} manages no team`);
    const team = [...teamOf(managerId, config)];
    return c.json({ managerId, team, rubrics: await calibrationOf(deps.pool, team) });
  });
  return app;
};

export const reviewRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/sessions/:sessionId/reviews',
    summary: 'Manager reviews of a session, with the AI’s and the effective scores',
    description:
      'Every review (replaced ones with `current: false`) with its comment: needs a `reviewer` (or `ops`) key. The effective score of a skill is the manager’s where a current review gives one, else the AI’s.',
    tags: ['reviews'],
    security: 'reviewer',
    params: SessionParams,
    responses: {
      200: { description: 'The reviews', schema: SessionReviewsResponse },
      400: { description: 'Not a session id', schema: ErrorBody },
      403: { description: 'The key lacks the reviewer scope', schema: ErrorBody },
      404: { description: 'No such session', schema: ErrorBody },
    },
  },
  {
    method: 'get',
    path: '/api/v1/teams/:managerId/calibration',
    summary: 'How far a manager’s team reviews agree with the AI',
    description:
      'Over the current reviews of the team’s sessions (TEAMS and TEAM_USERGROUPS), per rubric version: per skill and overall, the mean absolute difference of manager and AI scores, the share within ±1, and the counts.',
    tags: ['reviews'],
    security: 'analyst',
    params: ManagerIdParams,
    responses: {
      200: { description: 'Calibration', schema: CalibrationResponse },
      400: { description: 'Not a Slack user id', schema: ErrorBody },
      404: { description: 'Not a manager (MANAGER_USER_IDS)', schema: ErrorBody },
    },
  },
];
