import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from '../../schemas/commands.ts';
import { makeEvent } from '../../schemas/events/index.ts';
import type { GiveManagerReview } from '../../schemas/review-commands.ts';
import type { AuthorizationConfig } from '../authorization/policy.ts';
import { decideReview } from './decide.ts';
import { evolveReviews, initialReviewsState } from './state.ts';

const authorization: AuthorizationConfig = {
  managerUserIds: ['UMGR1', 'UMGR2'],
  teams: { UMGR1: ['UREP1'], UMGR2: ['UREP2'] },
};
const metadata = (actorId: string): CommandMetadata => ({
  idempotencyKey: 'review-1',
  correlationId: 'c',
  causationId: null,
  now: '2026-03-02T10:00:00.000Z',
  actor: { kind: 'user', id: actorId },
});
const command = (over: Partial<GiveManagerReview> = {}): GiveManagerReview => ({
  type: 'GiveManagerReview',
  reviewId: '00000000-0000-4000-8000-000000000001',
  sessionId: '00000000-0000-4000-8000-0000000000aa',
  userId: 'UREP1',
  reviewerId: 'UMGR1',
  rubric: { id: 'core', version: 1 },
  scores: { closing: 2, hearing: 4 },
  comment: 'Ask for the next step earlier.',
  ...over,
});

describe('manager review decider', () => {
  it('given no reviews, when the rep’s manager reviews, then ManagerReviewGiven at the command’s time', () => {
    const events = decideReview(command(), initialReviewsState(), {
      metadata: metadata('UMGR1'),
      authorization,
    });
    const { type: _type, ...review } = command();
    expect(events).toEqual([
      { type: 'ManagerReviewGiven', data: { ...review, reviewedAt: '2026-03-02T10:00:00.000Z' } },
    ]);
  });

  it('refuses another team’s manager, the rep themself, a non-manager, and someone acting for another', () => {
    const state = initialReviewsState();
    expect(() =>
      decideReview(command({ reviewerId: 'UMGR2' }), state, { metadata: metadata('UMGR2'), authorization }),
    ).toThrow(/does not manage/);
    expect(() =>
      decideReview(command({ reviewerId: 'UREP1' }), state, { metadata: metadata('UREP1'), authorization }),
    ).toThrow(/does not manage/);
    expect(() =>
      decideReview(command({ reviewerId: 'UREP2' }), state, { metadata: metadata('UREP2'), authorization }),
    ).toThrow(/does not manage/);
    expect(() => decideReview(command(), state, { metadata: metadata('UMGR2'), authorization })).toThrow(
      /signed-in manager/,
    );
  });

  it('given the same review recorded, when it is sent again, then nothing; a new review id is recorded too', () => {
    const [draft] = decideReview(command(), initialReviewsState(), {
      metadata: metadata('UMGR1'),
      authorization,
    });
    const event = makeEvent('ManagerReviewGiven', draft!.data as never, {
      eventId: '00000000-0000-4000-8000-0000000000ee',
      correlationId: 'c',
      causationId: null,
      occurredAt: '2026-03-02T10:00:00.000Z',
      actor: { kind: 'user', id: 'UMGR1' },
    });
    const state = evolveReviews(initialReviewsState(), event);
    expect(decideReview(command(), state, { metadata: metadata('UMGR1'), authorization })).toEqual([]);
    const later = decideReview(command({ reviewId: '00000000-0000-4000-8000-000000000002' }), state, {
      metadata: metadata('UMGR1'),
      authorization,
    });
    expect(later).toHaveLength(1);
  });
});
