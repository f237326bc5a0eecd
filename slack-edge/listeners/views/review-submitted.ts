import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import {
  defaultReviewRubric,
  defaultReviewSkills as reviewSkills,
} from '../../../schemas/review-commands.ts';
import { canReview } from '../../../write/authorization/policy.ts';
import { deterministicId } from '../../../write/ids.ts';
import { giveManagerReview } from '../../../write/reviews/decider.ts';
import {
  reviewCommentAction,
  reviewCommentBlock,
  reviewScoreAction,
  reviewScoreBlock,
} from '../../blocks/action-ids.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { sessionOwner } from '../../queries/team-sessions.ts';
import { reviewTexts } from '../../text/review-messages.ts';

const Submission = z.looseObject({
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({
    id: z.string().min(1),
    private_metadata: z.string(),
    state: z.looseObject({
      values: z.record(
        z.string(),
        z.record(
          z.string(),
          z.looseObject({
            value: z.string().nullable().optional(),
            selected_option: z.looseObject({ value: z.string() }).nullable().optional(),
          }),
        ),
      ),
    }),
  }),
});

const Metadata = z.object({ sessionId: z.uuid(), language: z.enum(['ja', 'en']) });

/**
 * The review modal was submitted: the scores chosen (a skill left alone keeps the AI's score)
 * and the comment become a ManagerReviewGiven through the command path, once per modal (the
 * review id derives from the view id), and the rep is told in a DM.
 */
export const reviewSubmitted =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = Submission.safeParse(body);
    let metadata: z.infer<typeof Metadata> | undefined;
    try {
      metadata = parsed.success ? Metadata.parse(JSON.parse(parsed.data.view.private_metadata)) : undefined;
    } catch {
      metadata = undefined;
    }
    if (!parsed.success || !metadata) {
      await ack();
      return;
    }
    const { user, view } = parsed.data;
    const t = reviewTexts(metadata.language);
    const values = view.state.values;
    const scores: Record<string, number> = {};
    for (const skill of reviewSkills) {
      const chosen = values[reviewScoreBlock(skill)]?.[reviewScoreAction]?.selected_option?.value;
      const score = Number(chosen);
      if (chosen !== undefined && Number.isInteger(score) && score >= 1 && score <= 5) scores[skill] = score;
    }
    const firstBlock = reviewScoreBlock(reviewSkills[0]!);
    if (Object.keys(scores).length === 0) {
      await ack({ response_action: 'errors', errors: { [firstBlock]: t.reviewNeedsScore } });
      return;
    }
    const [session, config] = await Promise.all([
      sessionOwner(deps.pool, metadata.sessionId),
      deps.teams.config(),
    ]);
    if (!session || !canReview(user.id, session.userId, config)) {
      await ack({ response_action: 'errors', errors: { [firstBlock]: t.reviewNotAllowed } });
      return;
    }
    await ack();
    const comment = (values[reviewCommentBlock]?.[reviewCommentAction]?.value ?? '').trim().slice(0, 4000);
    const reviewId = deterministicId('review', `${metadata.sessionId}:${user.id}:slack-view:${view.id}`);
    const result = await giveManagerReview(
      deps,
      {
        type: 'GiveManagerReview',
        reviewId,
        sessionId: metadata.sessionId,
        userId: session.userId,
        reviewerId: user.id,
        rubric: defaultReviewRubric,
        scores,
        comment,
      },
      {
        idempotencyKey: `review:${reviewId}`,
        correlationId: reviewId,
        causationId: null,
        now: deps.clock().toISOString(),
        actor: { kind: 'user', id: user.id },
      },
    );
    if (result.events.length > 0) {
      await deps.notifyReview({
        sessionId: metadata.sessionId,
        userId: session.userId,
        reviewerId: user.id,
        scores,
        comment,
      });
    }
  };
