import { type Context, Hono } from 'hono';
import type pg from 'pg';
import { type DisplayNames, teamGrowth } from '../../projections/growth/team.ts';
import { currentRubricOf } from '../../projections/rubrics/queries.ts';
import { zonedTime } from '../../projections/targets/calendar.ts';
import { targetProgressOf } from '../../projections/targets/queries.ts';
import {
  ManagerParams,
  RubricQuery,
  TargetBody,
  TargetList,
  TargetParams,
  TargetWriteResult,
  TeamGrowth,
} from '../../schemas/api/coaching-plan.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import { UserParams } from '../../schemas/api/read-models.ts';
import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import { isManager, teamOf } from '../../write/authorization/policy.ts';
import type { TeamDirectory } from '../../write/authorization/team-directory.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { handleTargetCommand } from '../../write/targets/handle.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';

export type CoachingPlanDeps = {
  pool: pg.Pool;
  store: EventStore;
  codec: EventCodec;
  /** Who manages whom (TEAMS, MANAGER_USER_IDS, Slack user groups). */
  teams: TeamDirectory;
  /** GROWTH_WINDOW_SESSIONS. */
  window: number;
  /** DIGEST_TIMEZONE: "today" for days left. */
  timeZone: string;
  displayNames: DisplayNames;
  clock?: () => Date;
};

const actorOf = (c: Context) => ({ kind: 'ops' as const, id: `api:${c.get('apiKey')?.name ?? 'unknown'}` });

const metadata = (c: Context, now: Date, key: string): CommandMetadata => {
  const requestId = c.req.header('Idempotency-Key') ?? `${key}@${now.toISOString()}`;
  return {
    idempotencyKey: requestId,
    correlationId: requestId,
    causationId: null,
    now: now.toISOString(),
    actor: actorOf(c),
  };
};

/** Skill targets (reviewer sets and clears, analyst reads) and the team growth ranking (analyst). */
export const coachingPlanRoutes = (deps: CoachingPlanDeps) => {
  const app = new Hono();
  const clock = deps.clock ?? (() => new Date());

  app.get('/api/v1/users/:userId/targets', async (c) => {
    const { userId } = UserParams.parse(c.req.param());
    const today = zonedTime(clock(), deps.timeZone).date;
    const items = await targetProgressOf(deps.pool, [userId], { window: deps.window, today });
    return c.json({ userId, today, items });
  });

  app.put('/api/v1/users/:userId/targets', async (c) => {
    const { userId } = UserParams.parse(c.req.param());
    const body = TargetBody.parse(await c.req.json().catch(() => ({})));
    const now = clock();
    const result = await handleTargetCommand(
      { store: deps.store, codec: deps.codec, authorization: await deps.teams.config() },
      { type: 'SetSkillTarget', userId, ...body, setBy: actorOf(c).id },
      metadata(c, now, `target:${userId}:${body.rubric.id}@${body.rubric.version}:${body.skill}`),
    );
    return c.json({ status: result.events.length > 0 ? 'set' : 'unchanged' });
  });

  app.delete('/api/v1/users/:userId/targets/:skill', async (c) => {
    const { userId, skill } = TargetParams.parse(c.req.param());
    const query = RubricQuery.parse(c.req.query());
    const now = clock();
    const result = await handleTargetCommand(
      { store: deps.store, codec: deps.codec, authorization: await deps.teams.config() },
      {
        type: 'ClearSkillTarget',
        userId,
        rubric: { id: query.rubric, version: query.rubricVersion },
        skill,
        clearedBy: actorOf(c).id,
      },
      metadata(c, now, `clear:${userId}:${query.rubric}@${query.rubricVersion}:${skill}`),
    );
    return c.json({ status: result.events.length > 0 ? 'cleared' : 'unchanged' });
  });

  app.get('/api/v1/teams/:managerId/growth', async (c) => {
    const { managerId } = ManagerParams.parse(c.req.param());
    const teams = await deps.teams.config();
    if (!isManager(managerId, teams)) {
      throw new AppError('NOT_FOUND', `${managerId} is not a manager (MANAGER_USER_IDS)`);
    }
    const items = await teamGrowth(deps.pool, teamOf(managerId, teams), {
      rubric: await currentRubricOf(deps.pool, managerId, teams),
      window: deps.window,
      displayNames: deps.displayNames,
    });
    return c.json({ managerId, window: deps.window, items });
  });
  return app;
};

const errors = {
  400: { description: 'Invalid path, query or body', schema: ErrorBody },
  401: { description: 'No valid API key', schema: ErrorBody },
  403: { description: 'The key lacks the scope', schema: ErrorBody },
  429: { description: 'Rate limit exceeded', schema: ErrorBody },
};

export const coachingPlanRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/users/:userId/targets',
    summary: "A rep's active skill targets with progress: current level, gap, days left, projection, status",
    description:
      'The projection extends the least-squares slope of the last GROWTH_WINDOW_SESSIONS session averages to the due date; `on_track` when it reaches the target, `at_risk` when not.',
    tags: ['targets'],
    security: 'analyst',
    params: UserParams,
    responses: { 200: { description: 'Active targets', schema: TargetList }, ...errors },
  },
  {
    method: 'put',
    path: '/api/v1/users/:userId/targets',
    summary: 'Sets (or replaces) the target level of one skill with a due date',
    description:
      'Appends SkillTargetSet through the targets decider; setting the active target again is a no-op (`unchanged`). A due date in the past, or a skill the rubric does not have, is a 400. An `Idempotency-Key` header makes a retried request append once.',
    tags: ['targets'],
    security: 'reviewer',
    params: UserParams,
    body: TargetBody,
    responses: { 200: { description: 'Set, or unchanged', schema: TargetWriteResult }, ...errors },
  },
  {
    method: 'delete',
    path: '/api/v1/users/:userId/targets/:skill',
    summary: 'Withdraws the active target of one skill',
    tags: ['targets'],
    security: 'reviewer',
    params: TargetParams,
    query: RubricQuery,
    responses: { 200: { description: 'Cleared, or there was none', schema: TargetWriteResult }, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/teams/:managerId/growth',
    summary: "A manager's team ranked by growth (slope over recent sessions), not by level",
    description:
      'Each rep: the mean over skills of the least-squares slope of their last GROWTH_WINDOW_SESSIONS session averages (points per session), steepest first; reps with fewer than two sessions last. Names are Slack display names (users.info, cached); the id when Slack does not answer in time.',
    tags: ['growth'],
    security: 'analyst',
    params: ManagerParams,
    responses: {
      200: { description: 'The ranking', schema: TeamGrowth },
      ...errors,
      404: { description: 'Not a manager', schema: ErrorBody },
    },
  },
];
