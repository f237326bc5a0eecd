import type pg from 'pg';
import { defaultRubricRef, type RubricRef } from '../../schemas/rubrics.ts';
import { aiSessionScoresSql } from './ai-scores.ts';

export type ManagerReviewRow = {
  reviewId: string;
  sessionId: string;
  userId: string;
  reviewerId: string;
  rubric: RubricRef;
  scores: Record<string, number>;
  /** Sealed at rest: open with the personal-text codec before showing it. */
  comment: string;
  reviewedAt: string;
  /** The latest review of this session by this reviewer (a later one replaces it). */
  current: boolean;
};

type Row = {
  review_id: string;
  session_id: string;
  user_id: string;
  reviewer_id: string;
  rubric_id: string;
  rubric_version: number;
  comment: string;
  reviewed_at: Date;
  scores: Record<string, number> | null;
  current: boolean;
};

const toReview = (r: Row): ManagerReviewRow => ({
  reviewId: r.review_id,
  sessionId: r.session_id,
  userId: r.user_id,
  reviewerId: r.reviewer_id,
  rubric: { id: r.rubric_id, version: Number(r.rubric_version) },
  scores: Object.fromEntries(Object.entries(r.scores ?? {}).map(([k, v]) => [k, Number(v)])),
  comment: r.comment,
  reviewedAt: r.reviewed_at.toISOString(),
  current: r.current,
});

/** Reviews with their scores and whether each is its reviewer's current one; newest first. */
const selectReviews = (where: string, limit = '') => `
  SELECT r.review_id, r.session_id, r.user_id, r.reviewer_id, r.rubric_id, r.rubric_version, r.comment,
         r.reviewed_at,
         (SELECT jsonb_object_agg(s.skill, s.score) FROM manager_review_scores s WHERE s.review_id = r.review_id) AS scores,
         NOT EXISTS (
           SELECT 1 FROM manager_reviews later
            WHERE later.session_id = r.session_id AND later.reviewer_id = r.reviewer_id
              AND (later.commit_position, later.prepare_position) > (r.commit_position, r.prepare_position)
         ) AS current
    FROM manager_reviews r
   WHERE ${where}
   ORDER BY r.commit_position DESC, r.prepare_position DESC ${limit}`;

/** Every review of a session (the replaced ones too, `current: false`), newest first. */
export const reviewsOfSession = async (pool: Pick<pg.Pool, 'query'>, sessionId: string) => {
  const { rows } = await pool.query<Row>(selectReviews('r.session_id = $1'), [sessionId]);
  return rows.map(toReview);
};

/** A rep's latest current reviews (App Home), newest first. */
export const latestReviewsOfRep = async (pool: Pick<pg.Pool, 'query'>, userId: string, limit: number) => {
  const { rows } = await pool.query<Row>(selectReviews('r.user_id = $1', 'LIMIT $2'), [userId, limit * 3]);
  return rows
    .map(toReview)
    .filter((r) => r.current)
    .slice(0, limit);
};

/**
 * The scores that count for a session: per skill the manager's (the most recent current review
 * that scores it), else the AI's (the mean of the session's insights).
 */
export const effectiveScores = (
  reviews: readonly ManagerReviewRow[],
  ai: Readonly<Record<string, number>>,
): Record<string, { score: number; source: 'manager' | 'ai' }> => {
  const result: Record<string, { score: number; source: 'manager' | 'ai' }> = {};
  for (const [skill, score] of Object.entries(ai)) result[skill] = { score, source: 'ai' };
  // Oldest first, so the newest current review wins each skill.
  for (const review of [...reviews].reverse().filter((r) => r.current)) {
    for (const [skill, score] of Object.entries(review.scores)) result[skill] = { score, source: 'manager' };
  }
  return result;
};

/**
 * The AI's score of one session per skill on one rubric version (mean over its insights on it;
 * default core v1, the skills reviews score), rounded to 0.01.
 */
export const aiScoresOfSession = async (
  pool: Pick<pg.Pool, 'query'>,
  sessionId: string,
  rubric: RubricRef = defaultRubricRef,
) => {
  const { rows } = await pool.query<{ skill: string; score: string }>(
    `SELECT skill, score FROM (${aiSessionScoresSql('$1::uuid')}) ai
      WHERE rubric_id = $2 AND rubric_version = $3 ORDER BY skill`,
    [sessionId, rubric.id, rubric.version],
  );
  return Object.fromEntries(rows.map((r) => [r.skill, Math.round(Number(r.score) * 100) / 100]));
};

export type Agreement = {
  /** Skill scores compared (one per current review and skill the manager scored and the AI did too). */
  count: number;
  /** Mean of |manager − AI|, on the 1–5 scale; null without a comparison. */
  meanAbsoluteDifference: number | null;
  /** Share of comparisons where they are at most 1 apart (0..1); null without a comparison. */
  withinOne: number | null;
};

export type Calibration = {
  rubric: RubricRef;
  /** Current reviews with at least one compared skill. */
  reviews: number;
  sessions: number;
  overall: Agreement;
  skills: ({ skill: string } & Agreement)[];
};

const agreement = (count: unknown, mad: unknown, within: unknown): Agreement => ({
  count: Number(count),
  meanAbsoluteDifference: mad === null ? null : Math.round(Number(mad) * 100) / 100,
  withinOne: within === null ? null : Math.round(Number(within) * 1000) / 1000,
});

/**
 * How far managers and the AI agree on the reviewed sessions of these reps: per rubric, per skill
 * and overall, the mean absolute difference and the share within ±1, over each session's current
 * reviews (a replaced review no longer counts).
 */
export const calibrationOf = async (
  pool: Pick<pg.Pool, 'query'>,
  userIds: readonly string[],
): Promise<Calibration[]> => {
  if (userIds.length === 0) return [];
  const { rows } = await pool.query<{
    rubric_id: string;
    rubric_version: number;
    skill: string | null;
    count: string;
    reviews: string;
    sessions: string;
    mad: string | null;
    within: string | null;
  }>(
    `WITH current AS (
       SELECT DISTINCT ON (session_id, reviewer_id) review_id, session_id, rubric_id, rubric_version
         FROM manager_reviews WHERE user_id = ANY($1::text[])
        ORDER BY session_id, reviewer_id, commit_position DESC, prepare_position DESC
     ), ai AS (${aiSessionScoresSql('SELECT session_id FROM current')}
     ), pairs AS (
       SELECT c.review_id, c.session_id, c.rubric_id, c.rubric_version, s.skill, abs(s.score - ai.score) AS diff
         FROM current c
         JOIN manager_review_scores s ON s.review_id = c.review_id
         JOIN ai ON ai.session_id = c.session_id AND ai.rubric_id = c.rubric_id
                AND ai.rubric_version = c.rubric_version AND ai.skill = s.skill
     )
     SELECT rubric_id, rubric_version, skill, count(*) AS count, count(DISTINCT review_id) AS reviews,
            count(DISTINCT session_id) AS sessions, avg(diff) AS mad,
            avg(CASE WHEN diff <= 1 THEN 1 ELSE 0 END) AS within
       FROM pairs
      GROUP BY GROUPING SETS ((rubric_id, rubric_version, skill), (rubric_id, rubric_version))
      ORDER BY rubric_id, rubric_version, skill NULLS FIRST`,
    [userIds],
  );
  const byRubric = new Map<string, Calibration>();
  for (const r of rows) {
    const key = `${r.rubric_id}/${r.rubric_version}`;
    if (r.skill === null) {
      byRubric.set(key, {
        rubric: { id: r.rubric_id, version: Number(r.rubric_version) },
        reviews: Number(r.reviews),
        sessions: Number(r.sessions),
        overall: agreement(r.count, r.mad, r.within),
        skills: [],
      });
    } else {
      byRubric.get(key)?.skills.push({ skill: r.skill, ...agreement(r.count, r.mad, r.within) });
    }
  }
  return [...byRubric.values()];
};
