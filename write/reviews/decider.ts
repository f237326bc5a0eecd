import type { CommandMetadata } from '../../schemas/commands.ts';
import { GiveManagerReview } from '../../schemas/review-commands.ts';
import type { TeamDirectory } from '../authorization/team-directory.ts';
import { type Decider, type HandleResult, type HandlerOptions, handleCommand } from '../command-handler.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { decideReview } from './decide.ts';
import { evolveReviews, initialReviewsState, type ReviewsState } from './state.ts';

export const reviewsDecider: Decider<ReviewsState> = {
  initialState: initialReviewsState,
  evolve: evolveReviews,
};

/** One stream per reviewed session: its reviews are its own consistency boundary, small and bounded. */
export const reviewsStreamId = (sessionId: string): string => `reviews-${sessionId}`;

export type ReviewWriteDeps = { store: EventStore; codec: EventCodec; teams: TeamDirectory };

/** Records a manager's review through the command path (validated, authorized by the policy). */
export const giveManagerReview = async (
  deps: ReviewWriteDeps,
  input: GiveManagerReview,
  metadata: CommandMetadata,
  options?: HandlerOptions,
): Promise<HandleResult<ReviewsState>> => {
  const command = GiveManagerReview.parse(input);
  const authorization = await deps.teams.config();
  return handleCommand(
    deps.store,
    deps.codec,
    reviewsStreamId(command.sessionId),
    reviewsDecider,
    (state) => decideReview(command, state, { metadata, authorization }),
    metadata,
    options,
  );
};
