import { type Context, Hono } from 'hono';
import { readThroughJson } from '../../projections/cache/read-through.ts';
import { decodeCursor } from '../../projections/cursor.ts';
import { listSessions, userHasSessions } from '../../projections/dialogue/queries.ts';
import { growthHistory } from '../../projections/growth/queries.ts';
import { listInsights } from '../../projections/insights/queries.ts';
import { noTeams, viewRubricOf } from '../../projections/rubrics/queries.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import {
  HistoryQuery,
  HistoryResponse,
  InsightPage,
  InsightsQuery,
  Pagination,
  SessionPage,
  UserParams,
} from '../../schemas/api/read-models.ts';
import { AppError } from '../../schemas/errors.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';
import { CACHE_TTL_SECONDS, type ReadModelDeps } from './read-model-deps.ts';

const jsonText = (c: Context, text: string) => c.body(text, 200, { 'Content-Type': 'application/json' });

const notFound = (userId: string) => new AppError('NOT_FOUND', `no sessions recorded for user ${userId}`);

/** The rubric version asked for with `?rubric=&rubricVersion=`, or the rep's default; 400 naming the parameter when unknown. */
const rubricFor = async (
  deps: ReadModelDeps,
  userId: string,
  query: { rubric?: string | undefined; rubricVersion?: number | undefined },
) => {
  const requested = query.rubric ? { id: query.rubric, version: query.rubricVersion } : undefined;
  const rubric = await viewRubricOf(
    deps.pool,
    userId,
    deps.teams ? await deps.teams.config() : noTeams,
    requested,
  );
  if (!rubric) {
    throw query.rubricVersion !== undefined
      ? new AppError(
          'VALIDATION',
          `rubricVersion: rubric ${query.rubric} has no version ${query.rubricVersion}`,
        )
      : new AppError('VALIDATION', `rubric: no rubric ${query.rubric}`);
  }
  return rubric;
};

export const userRoutes = (deps: ReadModelDeps) => {
  const app = new Hono();

  app.get('/api/v1/users/:userId/history', async (c) => {
    const { userId } = UserParams.parse(c.req.param());
    const query = HistoryQuery.parse(c.req.query());
    const rubric = await rubricFor(deps, userId, query);
    // Kept as JSON text: a hit goes out as it is. ("As of" a past instant never changes, but it
    // is kept with the rest of the rep's scope for simplicity.)
    const history = await readThroughJson(deps.cache, {
      scope: `user:${userId}`,
      key: `history:${rubric.id}@${rubric.version}:${query.from ?? ''}:${query.to ?? ''}:${query.asOf ?? ''}`,
      ttlSeconds: CACHE_TTL_SECONDS,
      load: () => growthHistory(deps.pool, userId, query, rubric),
    });
    if (history === 'null') throw notFound(userId);
    return jsonText(c, history);
  });

  app.get('/api/v1/users/:userId/sessions', async (c) => {
    const { userId } = UserParams.parse(c.req.param());
    const { limit, cursor } = Pagination.parse(c.req.query());
    const decoded = decodeCursor(cursor);
    const page = await readThroughJson(deps.cache, {
      scope: `user:${userId}`,
      key: `sessions:${limit}:${cursor ?? ''}`,
      ttlSeconds: CACHE_TTL_SECONDS,
      load: () => listSessions(deps.pool, userId, limit, decoded),
    });
    if (page.startsWith('{"items":[]') && !decoded && !(await userHasSessions(deps.pool, userId)))
      throw notFound(userId);
    return jsonText(c, page);
  });

  app.get('/api/v1/users/:userId/insights', async (c) => {
    const { userId } = UserParams.parse(c.req.param());
    const query = InsightsQuery.parse(c.req.query());
    const rubric = await rubricFor(deps, userId, query);
    const page = await listInsights(deps.pool, userId, {
      limit: query.limit,
      from: query.from,
      to: query.to,
      cursor: decodeCursor(query.cursor),
      rubric: { id: rubric.id, version: rubric.version },
    });
    if (page.items.length === 0 && !query.cursor && !(await userHasSessions(deps.pool, userId)))
      throw notFound(userId);
    return c.json(page);
  });

  return app;
};

const errors = {
  400: { description: 'Invalid path or query parameter', schema: ErrorBody },
  401: { description: 'No valid API key', schema: ErrorBody },
  404: { description: 'No sessions recorded for this user', schema: ErrorBody },
  429: { description: 'Rate limit exceeded', schema: ErrorBody },
};

export const userRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/users/:userId/history',
    summary: 'Growth history: skill scores per session, weekly, as a trend; optionally as of a past instant',
    description:
      '`asOf` computes the profile from the insights recorded up to that instant. `from`/`to` limit the sessions and weeks listed. ' +
      "Scores are on ONE rubric version (named in `rubric`): by default the rep's team's current rubric, at the newest version the rep has scores on; " +
      '`rubric=<id>` (and `rubricVersion=<n>`) reads another. An unknown rubric or version is a 400 naming the parameter.',
    tags: ['growth'],
    security: 'analyst',
    params: UserParams,
    query: HistoryQuery,
    responses: { 200: { description: 'Growth history', schema: HistoryResponse }, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/users/:userId/sessions',
    summary: 'Dialogue sessions, newest first (cursor pagination)',
    tags: ['dialogue'],
    security: 'analyst',
    params: UserParams,
    query: Pagination,
    responses: { 200: { description: 'One page of sessions', schema: SessionPage }, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/users/:userId/insights',
    summary: 'Conversation insights on one rubric version, newest first (cursor pagination)',
    description:
      'Each insight names its rubric version, provider, model and prompt hash. Same rubric selection as the history: the default rubric, or `rubric`/`rubricVersion`.',
    tags: ['growth'],
    security: 'analyst',
    params: UserParams,
    query: InsightsQuery,
    responses: { 200: { description: 'One page of insights', schema: InsightPage }, ...errors },
  },
];
