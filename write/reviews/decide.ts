import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { GiveManagerReview } from '../../schemas/review-commands.ts';
import { type AuthorizationConfig, canReview } from '../authorization/policy.ts';
import type { EventDraft } from '../event-draft.ts';
import type { ReviewsState } from './state.ts';

export type ReviewContext = {
  metadata: CommandMetadata;
  /** Who manages whom, with user groups resolved (the policy decides). */
  authorization: AuthorizationConfig;
};

/**
 * A manager's review of a rep's session. Only a manager of the rep may review (not the rep, not
 * another team's manager); a review id already recorded is a no-op (a form sent twice). A later
 * review by the same manager is recorded too: the read models take the latest as current.
 */
const giveReview = (
  command: GiveManagerReview,
  state: ReviewsState,
  { metadata, authorization }: ReviewContext,
) => {
  if (state.reviews.has(command.reviewId)) return [];
  if (metadata.actor.id !== command.reviewerId) {
    throw new AppError('FORBIDDEN', 'a review is given by the signed-in manager only');
  }
  if (!canReview(command.reviewerId, command.userId, authorization)) {
    throw new AppError('FORBIDDEN', `${command.reviewerId} does not manage ${command.userId}`);
  }
  const { type: _type, ...review } = command;
  const draft: EventDraft = { type: 'ManagerReviewGiven', data: { ...review, reviewedAt: metadata.now } };
  return [draft];
};

/** The review decider: one pure function per command. */
export const decideReview = (
  command: GiveManagerReview,
  state: ReviewsState,
  context: ReviewContext,
): EventDraft[] => {
  switch (command.type) {
    case 'GiveManagerReview':
      return giveReview(command, state, context);
    default: {
      const exhaustive: never = command.type;
      throw new AppError('VALIDATION', `unknown command ${String(exhaustive)}`);
    }
  }
};
