import type { SalesEvent } from '../../schemas/events/index.ts';

/** The reviews of one session: which review ids were recorded, and by whom. */
export type ReviewsState = {
  readonly reviews: ReadonlyMap<string, { reviewerId: string; reviewedAt: string }>;
};

export const initialReviewsState = (): ReviewsState => ({ reviews: new Map() });

export const evolveReviews = (state: ReviewsState, event: SalesEvent): ReviewsState => {
  if (event.type !== 'ManagerReviewGiven') return state;
  const reviews = new Map(state.reviews);
  reviews.set(event.data.reviewId, { reviewerId: event.data.reviewerId, reviewedAt: event.data.reviewedAt });
  return { reviews };
};
