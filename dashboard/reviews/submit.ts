import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import { defaultReviewRubric, defaultReviewSkills } from '../../schemas/review-commands.ts';
import { deterministicId } from '../../write/ids.ts';
import { giveManagerReview } from '../../write/reviews/decider.ts';
import type { DashboardRuntime } from '../runtime.ts';

/** The skills a review scores. */
export const reviewSkills = defaultReviewSkills;

const ReviewForm = z.object({
  reviewId: z.uuid(),
  comment: z.string().max(4000).optional(),
});

/**
 * A review from the dashboard's form, through the command path: the form's review id makes a
 * form sent twice one review; the decider checks the reviewer manages the rep. The rep is told
 * in Slack once, when the review was recorded.
 */
export const submitReview = async (
  rt: DashboardRuntime,
  input: { sessionId: string; userId: string; reviewerId: string; form: Record<string, unknown> },
) => {
  const form = ReviewForm.safeParse(input.form);
  if (!form.success) throw new AppError('VALIDATION', 'reviewId: expected the form’s review id');
  const scores: Record<string, number> = {};
  for (const skill of reviewSkills) {
    const raw = input.form[`score_${skill}`];
    if (raw === undefined || raw === '') continue;
    const score = Number(raw);
    if (!Number.isInteger(score) || score < 1 || score > 5) {
      throw new AppError('VALIDATION', `score_${skill}: expected 1 to 5`);
    }
    scores[skill] = score;
  }
  if (Object.keys(scores).length === 0) throw new AppError('VALIDATION', 'score at least one skill');
  // The form's token is only trusted within its session and reviewer: the review id derives from all three.
  const reviewId = deterministicId('review', `${input.sessionId}:${input.reviewerId}:${form.data.reviewId}`);
  const result = await giveManagerReview(
    { store: rt.deps.store, codec: rt.deps.codec, teams: rt.teams },
    {
      type: 'GiveManagerReview',
      reviewId,
      sessionId: input.sessionId,
      userId: input.userId,
      reviewerId: input.reviewerId,
      rubric: defaultReviewRubric,
      scores,
      comment: form.data.comment?.trim() ?? '',
    },
    {
      idempotencyKey: `review:${reviewId}`,
      correlationId: reviewId,
      causationId: null,
      now: new Date(rt.now()).toISOString(),
      actor: { kind: 'user', id: input.reviewerId },
    },
  );
  if (result.events.length > 0 && rt.deps.notifyReview) {
    const { sessionId, userId, reviewerId } = input;
    await rt.deps
      .notifyReview({ sessionId, userId, reviewerId, scores, comment: form.data.comment?.trim() ?? '' })
      .catch((error: unknown) =>
        rt.deps.logger.warn({ err: error }, 'the rep could not be told about a review'),
      );
  }
  return result;
};
