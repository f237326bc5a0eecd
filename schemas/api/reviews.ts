import { z } from 'zod';
import { SlackUserId } from '../slack-ids.ts';

/** API shapes of manager reviews and calibration (issue 16). */
export const ManagerIdParams = z.object({ managerId: SlackUserId });

const Rubric = z.object({ id: z.string(), version: z.number().int() });

export const ManagerReviewView = z.object({
  reviewId: z.uuid(),
  sessionId: z.uuid(),
  userId: z.string(),
  reviewerId: z.string(),
  rubric: Rubric,
  scores: z.record(z.string(), z.number().int().min(1).max(5)),
  comment: z.string(),
  reviewedAt: z.string(),
  /** The latest review of the session by this reviewer; replaced reviews stay listed with false. */
  current: z.boolean(),
});

export const SessionReviewsResponse = z.object({
  sessionId: z.uuid(),
  userId: z.string(),
  /** Newest first, replaced ones too. */
  reviews: z.array(ManagerReviewView),
  /** The AI's score per skill: the mean of the session's insights. */
  ai: z.record(z.string(), z.number()),
  /** What counts: the manager's score where a current review gives one, else the AI's. */
  effective: z.record(z.string(), z.object({ score: z.number(), source: z.enum(['manager', 'ai']) })),
});

const Agreement = z.object({
  count: z.number().int(),
  meanAbsoluteDifference: z.number().nullable(),
  withinOne: z.number().nullable(),
});

export const CalibrationResponse = z.object({
  managerId: z.string(),
  team: z.array(z.string()),
  /** One entry per rubric version reviewed. */
  rubrics: z.array(
    z.object({
      rubric: Rubric,
      reviews: z.number().int(),
      sessions: z.number().int(),
      overall: Agreement,
      skills: z.array(Agreement.extend({ skill: z.string() })),
    }),
  ),
});
