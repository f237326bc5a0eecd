import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent, type SalesEvent } from '../../schemas/events/index.ts';
import type { SkillScores } from '../../schemas/skills.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import { insightsProjection } from '../insights/projection.ts';
import { managerReviewsProjection } from './projection.ts';
import {
  aiScoresOfSession,
  calibrationOf,
  effectiveScores,
  latestReviewsOfRep,
  reviewsOfSession,
} from './queries.ts';

const meta = (n: number) => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  correlationId: 'c',
  causationId: null,
  occurredAt: '2026-03-02T10:00:00.000Z',
  actor: { kind: 'user' as const, id: 'UMGR1' },
});
const session = (n: number) => `00000000-0000-4000-8000-${String(900 + n).padStart(12, '0')}`;
let seq = 0;
const insight = (sessionNo: number, userId: string, scores: SkillScores): SalesEvent =>
  makeEvent(
    'InsightDerived',
    {
      insightId: meta(++seq).eventId,
      sessionId: session(sessionNo),
      userId,
      basedOnMessageId: null,
      scores,
      strengths: [],
      improvements: [],
      nextActions: [],
      summary: 's',
      model: 'mock',
      rubric: { id: 'core', version: 1 },
      provider: 'mock',
      promptHash: null,
      origin: 'live',
      derivedAt: '2026-03-01T10:00:00.000Z',
    },
    meta(seq),
  );
const review = (
  reviewNo: number,
  sessionNo: number,
  userId: string,
  reviewerId: string,
  scores: Record<string, number>,
  comment = 'c',
): SalesEvent =>
  makeEvent(
    'ManagerReviewGiven',
    {
      reviewId: `00000000-0000-4000-8000-${String(500 + reviewNo).padStart(12, '0')}`,
      sessionId: session(sessionNo),
      userId,
      reviewerId,
      rubric: { id: 'core', version: 1 },
      scores,
      comment,
      reviewedAt: `2026-03-0${2 + reviewNo}T10:00:00.000Z`,
    },
    meta(1000 + reviewNo),
  );

const all3: SkillScores = { hearing: 3, proposal: 3, objection_handling: 3, closing: 3, relationship: 3 };

describe('manager_reviews projection and queries', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const insights = await setupTestProjection(db, insightsProjection);
    const reviews = await setupTestProjection(db, managerReviewsProjection);
    await insights.apply([
      insight(1, 'UREP1', all3),
      insight(1, 'UREP1', { ...all3, closing: 5 }), // AI closing for session 1: mean 4
      insight(2, 'UREP1', { ...all3, hearing: 1 }),
      insight(3, 'UREP2', all3),
    ]);
    const events = [
      review(1, 1, 'UREP1', 'UMGR1', { closing: 1, hearing: 3 }, 'first'),
      review(2, 1, 'UREP1', 'UMGR1', { closing: 2 }, 'second'), // replaces review 1
      review(3, 2, 'UREP1', 'UMGR1', { hearing: 4 }),
      review(4, 3, 'UREP2', 'UMGR2', { proposal: 4 }),
    ];
    await reviews.apply(events);
    await reviews.apply(events); // applied twice: the same rows
  });
  afterAll(async () => db?.drop());

  it('keeps every review, marks the latest per reviewer as current, newest first', async () => {
    const list = await reviewsOfSession(db.pool, session(1));
    expect(list.map((r) => [r.comment, r.current, r.scores])).toEqual([
      ['second', true, { closing: 2 }],
      ['first', false, { closing: 1, hearing: 3 }],
    ]);
    const latest = await latestReviewsOfRep(db.pool, 'UREP1', 5);
    expect(latest.map((r) => r.sessionId)).toEqual([session(2), session(1)]);
  });

  it('the effective score is the manager’s where given, the AI’s elsewhere', async () => {
    const ai = await aiScoresOfSession(db.pool, session(1));
    expect(ai).toMatchObject({ closing: 4, hearing: 3 });
    const effective = effectiveScores(await reviewsOfSession(db.pool, session(1)), ai);
    expect(effective.closing).toEqual({ score: 2, source: 'manager' });
    // Review 1 (hearing 3) was replaced: hearing stays the AI's.
    expect(effective.hearing).toEqual({ score: 3, source: 'ai' });
  });

  it('calibration: mean absolute difference and share within ±1 over current reviews, per skill and overall', async () => {
    const [core] = await calibrationOf(db.pool, ['UREP1']);
    expect(core?.rubric).toEqual({ id: 'core', version: 1 });
    expect(core?.reviews).toBe(2);
    expect(core?.sessions).toBe(2);
    // Session 1 closing: |2 − 4| = 2; session 2 hearing: |4 − 1| = 3.
    expect(core?.skills).toEqual([
      { skill: 'closing', count: 1, meanAbsoluteDifference: 2, withinOne: 0 },
      { skill: 'hearing', count: 1, meanAbsoluteDifference: 3, withinOne: 0 },
    ]);
    expect(core?.overall).toEqual({ count: 2, meanAbsoluteDifference: 2.5, withinOne: 0 });
    const [other] = await calibrationOf(db.pool, ['UREP2']);
    expect(other?.overall).toEqual({ count: 1, meanAbsoluteDifference: 1, withinOne: 1 });
    expect(await calibrationOf(db.pool, [])).toEqual([]);
    expect(await calibrationOf(db.pool, ['UNOBODY'])).toEqual([]);
  });
});
