import { z } from 'zod';
import { ManagerReviewGivenData } from './events/manager-review-given.ts';
import { defaultRubricRef } from './rubrics.ts';
import { skillKeys } from './skills.ts';

/** The rubric reviews score on: core v1 (the five skills of schemas/skills.ts). */
export const defaultReviewRubric = defaultRubricRef;

/** The skills a review scores (the default rubric's, in order) until rubrics are data. */
export const defaultReviewSkills: readonly string[] = skillKeys;

/**
 * A manager reviews a rep's session (dashboard form or Slack modal). The write side checks that
 * the reviewer manages the rep and stamps the time; `reviewId` comes from the edge's idempotency
 * key, so a form or modal submitted twice records one review.
 */
export const GiveManagerReview = ManagerReviewGivenData.omit({ reviewedAt: true }).extend({
  type: z.literal('GiveManagerReview'),
});
export type GiveManagerReview = z.infer<typeof GiveManagerReview>;
