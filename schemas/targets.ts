import { z } from 'zod';
import { defaultRubricRef, RubricRef } from './rubrics.ts';

/**
 * Skill targets and the weekly digest: the shapes shared by their events, commands and views.
 * A target is keyed by rubric id + version + skill key as text, so it works for any rubric.
 */
export const TargetRubric = RubricRef;
export type TargetRubric = RubricRef;

/** The rubric a target is on unless one is named: core v1, today's five skills. */
export const defaultTargetRubric: TargetRubric = defaultRubricRef;

export const TargetSkill = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a skill key like hearing');

/** A level from 1 to 5 with at most one decimal (3.5). */
export const TargetLevel = z
  .number()
  .min(1)
  .max(5)
  .refine((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, 'expected at most one decimal');

/** A calendar date, `YYYY-MM-DD`. */
export const CalendarDate = z.iso.date();

/** An ISO 8601 week, `2026-W49`. */
export const IsoWeek = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'expected an ISO week like 2026-W49');
