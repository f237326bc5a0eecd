import type { Context } from 'hono';
import { Hono } from 'hono';
import { teamGrowth } from '../../projections/growth/team.ts';
import { targetProgressOf } from '../../projections/targets/queries.ts';
import { scopeAllows } from '../../schemas/api/api-keys.ts';
import { AppError } from '../../schemas/errors.ts';
import type { RubricRef } from '../../schemas/rubrics.ts';
import type { TargetCommand } from '../../schemas/target-commands.ts';
import { CalendarDate, defaultTargetRubric, TargetLevel, TargetSkill } from '../../schemas/targets.ts';
import { isManager, teamOf } from '../../write/authorization/policy.ts';
import { handleTargetCommand, maySetTargets } from '../../write/targets/handle.ts';
import { dashboardActor } from '../actor.ts';
import { viewerOf } from '../auth/viewer.ts';
import { coachingPlanMessages } from '../i18n/coaching-plan.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { localDate } from '../time.ts';
import { growthRankingSection, targetsSection } from '../views/coaching-plan.ts';
import type { Html } from '../views/html.ts';
import { repPath } from '../views/paths.ts';
import { UserIdParam } from './rep.ts';

const noPlan = {
  displayNames: async () => new Map(),
  window: 8,
};

const planOf = (rt: DashboardRuntime) => rt.deps.coachingPlan ?? noPlan;

/**
 * Who may set a rep's targets from the dashboard: a manager signed in with Slack for their own
 * team (the policy), and reviewer and ops keys (as through the API).
 */
const mayEdit = async (rt: DashboardRuntime, c: Context, userId: string) => {
  const viewer = viewerOf(c);
  if (viewer.kind === 'slack')
    return maySetTargets({ kind: 'user', id: viewer.userId }, userId, await rt.teams.config());
  const scope = c.get('dashboardSession')?.claims.scope;
  return scope !== undefined && scopeAllows(scope, 'reviewer');
};

/** The rep page's targets section. */
export const repTargets = async (rt: DashboardRuntime, c: Context, userId: string): Promise<Html> => {
  const today = localDate(rt.now(), rt.timeZone);
  const targets = await targetProgressOf(rt.deps.pool, [userId], { window: planOf(rt).window, today });
  const page = rt.page(c);
  const m = coachingPlanMessages[page.lang];
  const done =
    c.req.query('target') === 'saved' ? m.saved : c.req.query('target') === 'cleared' ? m.cleared : undefined;
  return targetsSection(page, {
    userId,
    targets,
    canEdit: await mayEdit(rt, c, userId),
    today,
    ...(done ? { done } : {}),
  });
};

/**
 * The team page's growth ranking: a manager's team when the viewer is one (a Slack sign-in),
 * else every rep the overview lists (an API-key session sees the whole workspace).
 */
export const teamRanking = async (
  rt: DashboardRuntime,
  c: Context,
  everyone: readonly string[],
  rubric?: RubricRef,
): Promise<Html> => {
  const plan = planOf(rt);
  const actor = dashboardActor(c);
  const teams = await rt.teams.config();
  const members = actor.kind === 'user' && isManager(actor.id, teams) ? teamOf(actor.id, teams) : everyone;
  const ranking = await teamGrowth(rt.deps.pool, members, {
    window: plan.window,
    displayNames: plan.displayNames,
    ...(rubric ? { rubric } : {}),
  });
  return growthRankingSection(rt.page(c), ranking, plan.window);
};

const metadataFor = (c: Context, now: Date) => {
  const key = `dashboard:${c.get('dashboardSession')?.claims.sid ?? ''}:${now.toISOString()}`;
  return {
    idempotencyKey: key,
    correlationId: key,
    causationId: null,
    now: now.toISOString(),
    actor: dashboardActor(c),
  };
};

/** The forms of the targets section (CSRF is checked for every dashboard POST). */
export const targetForms = (rt: DashboardRuntime) => {
  const app = new Hono();
  const deps = async () => ({
    store: rt.deps.store,
    codec: rt.deps.codec,
    authorization: await rt.teams.config(),
  });
  /** Through the targets decider (the policy decides who may), then back to the rep page. */
  const run = async (c: Context, outcome: 'saved' | 'cleared', command: TargetCommand) => {
    await handleTargetCommand(await deps(), command, metadataFor(c, new Date(rt.now())));
    return c.redirect(`${repPath(command.userId)}?target=${outcome}`, 303);
  };

  app.post('/dashboard/reps/:userId/targets', async (c) => {
    const userId = UserIdParam.safeParse(c.req.param('userId'));
    if (!userId.success) throw new AppError('NOT_FOUND', 'not a user id');
    if (!(await mayEdit(rt, c, userId.data)))
      throw new AppError('FORBIDDEN', 'setting targets needs the reviewer scope or managing the rep');
    const body = await c.req.parseBody();
    const skill = TargetSkill.safeParse(body.skill);
    const level = TargetLevel.safeParse(Number(body.level));
    const due = CalendarDate.safeParse(body.dueDate);
    if (!skill.success || !level.success || !due.success) {
      throw new AppError(
        'VALIDATION',
        'skill: a skill key; level: 1 to 5 with one decimal; dueDate: YYYY-MM-DD',
      );
    }
    const { id } = dashboardActor(c);
    return run(c, 'saved', {
      type: 'SetSkillTarget',
      userId: userId.data,
      rubric: defaultTargetRubric,
      skill: skill.data,
      level: level.data,
      dueDate: due.data,
      setBy: id,
    });
  });

  app.post('/dashboard/reps/:userId/targets/:skill/clear', async (c) => {
    const userId = UserIdParam.safeParse(c.req.param('userId'));
    const skill = TargetSkill.safeParse(c.req.param('skill'));
    if (!userId.success || !skill.success) throw new AppError('NOT_FOUND', 'not a target');
    if (!(await mayEdit(rt, c, userId.data)))
      throw new AppError('FORBIDDEN', 'withdrawing targets needs the reviewer scope or managing the rep');
    const { id } = dashboardActor(c);
    return run(c, 'cleared', {
      type: 'ClearSkillTarget',
      userId: userId.data,
      rubric: defaultTargetRubric,
      skill: skill.data,
      clearedBy: id,
    });
  });
  return app;
};
