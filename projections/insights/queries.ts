import type pg from 'pg';
import type { InsightView } from '../../schemas/api/read-models.ts';
import type { RubricRef } from '../../schemas/rubrics.ts';
import { type Cursor, encodeCursor } from '../cursor.ts';

type InsightRow = Record<string, unknown> & {
  insight_id: string;
  session_id: string;
  user_id: string;
  based_on_message_id: string | null;
  rubric_id: string;
  rubric_version: number;
  scores: Record<string, number>;
  provider: string | null;
  prompt_hash: string | null;
  origin: string;
  strengths: string[];
  improvements: string[];
  next_actions: string[];
  summary: string;
  model: string;
  derived_at: Date;
};

export const toInsightView = (r: InsightRow): InsightView => ({
  insightId: r.insight_id,
  sessionId: r.session_id,
  userId: r.user_id,
  basedOnMessageId: r.based_on_message_id,
  rubric: { id: r.rubric_id, version: r.rubric_version },
  scores: r.scores,
  strengths: r.strengths,
  improvements: r.improvements,
  nextActions: r.next_actions,
  summary: r.summary,
  provider: r.provider,
  model: r.model,
  promptHash: r.prompt_hash,
  origin: r.origin,
  derivedAt: r.derived_at.toISOString(),
});

/** A rep's insights, newest first, optionally within [from, to]. */
export const listInsights = async (
  pool: pg.Pool,
  userId: string,
  options: {
    limit: number;
    cursor: Cursor | null;
    from?: string | undefined;
    to?: string | undefined;
    /** Only insights on this rubric version (growth views read one at a time); all when absent. */
    rubric?: RubricRef | undefined;
  },
) => {
  const conditions = ['user_id = $1'];
  const values: unknown[] = [userId];
  if (options.rubric) {
    values.push(options.rubric.id, options.rubric.version);
    conditions.push(`rubric_id = $${values.length - 1}`, `rubric_version = $${values.length}`);
  }
  const add = (sql: string, value: unknown) => {
    values.push(value);
    conditions.push(sql.replace('?', `$${values.length}`));
  };
  if (options.from) add('derived_at >= ?::timestamptz', options.from);
  if (options.to) add('derived_at <= ?::timestamptz', options.to);
  if (options.cursor) {
    values.push(options.cursor.at, options.cursor.id);
    conditions.push(
      `(derived_at, insight_id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`,
    );
  }
  values.push(options.limit + 1);
  const { rows } = await pool.query<InsightRow>(
    `SELECT * FROM conversation_insights WHERE ${conditions.join(' AND ')}
      ORDER BY derived_at DESC, insight_id DESC LIMIT $${values.length}`,
    values,
  );
  const items = rows.slice(0, options.limit).map(toInsightView);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > options.limit && last ? encodeCursor({ at: last.derivedAt, id: last.insightId }) : null,
  };
};

export const insightsOfSession = async (pool: pg.Pool, sessionId: string) => {
  const { rows } = await pool.query<InsightRow>(
    'SELECT * FROM conversation_insights WHERE session_id = $1 ORDER BY derived_at',
    [sessionId],
  );
  return rows.map(toInsightView);
};
