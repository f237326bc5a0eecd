import { Hono } from 'hono';
import { z } from 'zod';
import { growthHistory } from '../../projections/growth/queries.ts';
import { findRubric, rubricsWithDataFor } from '../../projections/rubrics/queries.ts';
import { AppError } from '../../schemas/errors.ts';
import { assertMayView } from '../auth/viewer.ts';
import { repSessions, sessionSpan } from '../queries/rep.ts';
import { dashboardRubric } from '../queries/rubric.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { endOfLocalDay, isCalendarDate, localDate } from '../time.ts';
import { repView } from '../views/rep.ts';
import { repTargets } from './targets.ts';

/** Slack ids and the CLI's; nothing that could be read as a path or markup. */
export const UserIdParam = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

const halfDay = 12 * 3600_000;

export const repPage = (rt: DashboardRuntime) =>
  new Hono().get('/dashboard/reps/:userId', async (c) => {
    const parsed = UserIdParam.safeParse(c.req.param('userId'));
    if (!parsed.success) throw new AppError('NOT_FOUND', 'not a user id');
    const userId = parsed.data;
    await assertMayView(rt, c, userId);
    const requested = c.req.query('asOf')?.trim() || undefined;
    if (requested !== undefined && !isCalendarDate(requested)) {
      throw new AppError('VALIDATION', 'asOf: expected a date such as 2026-03-02');
    }
    const span = await sessionSpan(rt.deps.pool, userId);
    if (!span) throw new AppError('NOT_FOUND', `no sessions for ${userId}`);
    const today = localDate(rt.now(), rt.timeZone);
    // A day after today is today: the future holds nothing yet.
    const asOf = requested && requested < today ? requested : requested ? today : null;
    const asOfInstant = asOf ? endOfLocalDay(asOf, rt.timeZone) : null;
    // "As of" is folded from the insight log up to that instant, not read from today's summary.
    const rubric = await dashboardRubric(rt, userId, c.req.query('rubric'), c.req.query('rubricVersion'));
    const [history, sealedSessions, withData, targets] = await Promise.all([
      growthHistory(rt.deps.pool, userId, asOfInstant ? { asOf: asOfInstant } : {}, rubric),
      repSessions(rt.deps.pool, userId, { until: asOfInstant ?? undefined }),
      rubricsWithDataFor(rt.deps.pool, userId),
      repTargets(rt, c, userId),
    ]);
    const rubricChoices = (await Promise.all(withData.map((r) => findRubric(rt.deps.pool, r)))).filter(
      (r) => r !== null,
    );
    // Personas are personal text, sealed in the table.
    const sessions = await rt.deps.personal.openDeep(sealedSessions);
    const firstDay = localDate(span.first, rt.timeZone);
    return c.html(
      repView(rt.page(c), {
        userId,
        asOf,
        history,
        firstDay: firstDay < today ? firstDay : today,
        today,
        axis: { from: Date.parse(span.first) - halfDay, to: Date.parse(span.last) + halfDay },
        asOfInstant,
        sessions,
        extra: targets,
        rubric,
        rubricChoices,
        rubricPicked: Boolean(c.req.query('rubric')?.trim()),
      }),
    );
  });
