import { z } from 'zod';
import { RubricRef } from '../rubrics.ts';
import { defineEvent } from './envelope.ts';

/** A skill key of a rubric (`hearing`, `metrics`, …): text, so reviews work for any rubric. */
export const ReviewSkillKey = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a skill key such as hearing');

/** The scores a manager gives: the skills they override, 1..5 (may be a part of the rubric). */
export const ReviewScores = z
  .record(ReviewSkillKey, z.number().int().min(1).max(5))
  .refine((scores) => Object.keys(scores).length > 0, 'expected at least one skill score');

/**
 * A manager reviewed a rep's session: per-skill scores that override the AI's for that session,
 * and a comment. A later review of the same session by the same manager replaces this one in
 * the read models; both stay in the store. The comment is the rep's personal data (shredded
 * with them by forget-user).
 */
export const ManagerReviewGivenData = z.object({
  reviewId: z.uuid(),
  sessionId: z.uuid(),
  /** The rep whose session it is. */
  userId: z.string().min(1),
  /** The manager. */
  reviewerId: z.string().min(1),
  /** The rubric the scores are on (`core`/1 = the five default skills). */
  rubric: RubricRef,
  scores: ReviewScores,
  comment: z.string().max(4000),
  reviewedAt: z.iso.datetime({ offset: true }),
});
export type ManagerReviewGivenData = z.infer<typeof ManagerReviewGivenData>;

export const ManagerReviewGiven = defineEvent({
  type: 'ManagerReviewGiven',
  version: 1,
  schema: ManagerReviewGivenData,
  previous: {},
  personalFields: ['comment'],
  subjectOf: (d) => d.userId,
});
