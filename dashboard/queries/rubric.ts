import { viewRubricOf } from '../../projections/rubrics/queries.ts';
import { RubricSelection } from '../../schemas/api/read-models.ts';
import { AppError } from '../../schemas/errors.ts';
import type { Rubric } from '../../schemas/rubrics.ts';
import type { DashboardRuntime } from '../runtime.ts';

/**
 * The rubric version a dashboard page shows (`?rubric=&rubricVersion=`, as in the read API), or
 * the default one of `subject` (a rep; the default team `*` for the team page). Unknown → 400.
 */
export const dashboardRubric = async (
  rt: DashboardRuntime,
  subject: string,
  rubricParam: string | undefined,
  versionParam: string | undefined,
): Promise<Rubric> => {
  const parsed = RubricSelection.safeParse({
    rubric: rubricParam?.trim() || undefined,
    rubricVersion: versionParam?.trim() || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION', `${issue?.path.join('.') ?? 'rubric'}: ${issue?.message ?? 'invalid'}`);
  }
  const { rubric, rubricVersion } = parsed.data;
  const requested = rubric ? { id: rubric, version: rubricVersion } : undefined;
  const found = await viewRubricOf(rt.deps.pool, subject, await rt.teams.config(), requested);
  if (!found)
    throw new AppError(
      'VALIDATION',
      `rubric: no rubric ${rubric}${rubricVersion ? ` version ${rubricVersion}` : ''}`,
    );
  return found;
};
