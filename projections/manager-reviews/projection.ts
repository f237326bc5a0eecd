import type pg from 'pg';
import type { SalesEvent } from '../../schemas/events/index.ts';
import type { Position } from '../../write/event-store/port.ts';
import type { PositionedEvent, TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';

const tables = ['manager_reviews', 'manager_review_scores'] as const;

/**
 * Every review is kept (a later one by the same manager does not overwrite the row): which one is
 * current is a query (the latest per session and reviewer), so replaying in event order always
 * gives the same rows. Scores are keyed by rubric id, version and skill key as text, for any rubric.
 */
const ddl = (t: TableNames<(typeof tables)[number]>) => `
CREATE TABLE ${t.manager_reviews} (
  review_id        uuid PRIMARY KEY,
  session_id       uuid NOT NULL,
  user_id          text NOT NULL,
  reviewer_id      text NOT NULL,
  rubric_id        text NOT NULL,
  rubric_version   integer NOT NULL,
  comment          text NOT NULL,
  reviewed_at      timestamptz NOT NULL,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL
);
CREATE INDEX ${t.manager_reviews}_session ON ${t.manager_reviews} (session_id, reviewer_id, commit_position DESC, prepare_position DESC);
CREATE INDEX ${t.manager_reviews}_user ON ${t.manager_reviews} (user_id, reviewed_at DESC);
CREATE TABLE ${t.manager_review_scores} (
  review_id        uuid NOT NULL,
  rubric_id        text NOT NULL,
  rubric_version   integer NOT NULL,
  skill            text NOT NULL,
  score            smallint NOT NULL,
  PRIMARY KEY (review_id, skill)
);
`;

type ReviewEvent = Extract<SalesEvent, { type: 'ManagerReviewGiven' }>;

const insertReviews = async (
  items: readonly PositionedEvent[],
  client: pg.ClientBase,
  t: TableNames<(typeof tables)[number]>,
) => {
  const reviews = items.filter(
    (i): i is { event: ReviewEvent; position: Position } => i.event.type === 'ManagerReviewGiven',
  );
  if (reviews.length === 0) return;
  const rows = reviews.map(({ event: { data: d }, position }) => ({
    review_id: d.reviewId,
    session_id: d.sessionId,
    user_id: d.userId,
    reviewer_id: d.reviewerId,
    rubric_id: d.rubric.id,
    rubric_version: d.rubric.version,
    comment: d.comment,
    reviewed_at: d.reviewedAt,
    commit_position: position.commit.toString(),
    prepare_position: position.prepare.toString(),
  }));
  const scores = reviews.flatMap(({ event: { data: d } }) =>
    Object.entries(d.scores).map(([skill, score]) => ({
      review_id: d.reviewId,
      rubric_id: d.rubric.id,
      rubric_version: d.rubric.version,
      skill,
      score,
    })),
  );
  await client.query(
    `INSERT INTO ${t.manager_reviews} SELECT * FROM jsonb_populate_recordset(NULL::${t.manager_reviews}, $1)
     ON CONFLICT (review_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
  await client.query(
    `INSERT INTO ${t.manager_review_scores} SELECT * FROM jsonb_populate_recordset(NULL::${t.manager_review_scores}, $1)
     ON CONFLICT (review_id, skill) DO NOTHING`,
    [JSON.stringify(scores)],
  );
};

/** Managers' reviews of sessions: their scores per skill and comments (sealed at rest). */
export const managerReviewsProjection = defineProjection({
  name: 'manager_reviews',
  version: 1,
  tables,
  handles: ['ManagerReviewGiven'],
  ddl,
  apply: (event, { client, tables: t, position }) => insertReviews([{ event, position }], client, t),
  applyBatch: (events, { client, tables: t }) => insertReviews(events, client, t),
  cacheScopes: (event) => (event.type === 'ManagerReviewGiven' ? [`user:${event.data.userId}`] : []),
});
