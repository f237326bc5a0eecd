import type pg from 'pg';
import type { InsightView } from '../../schemas/api/read-models.ts';
import { skillKeys } from '../../schemas/skills.ts';
import { type Cursor, encodeCursor } from '../cursor.ts';

type InsightRow = Record<string, unknown> & {
  insight_id: string;
  session_id: string;
  user_id: string;
  based_on_message_id: string | null;
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
  scores: Object.fromEntries(skillKeys.map((k) => [k, Number(r[k])])) as InsightView['scores'],
  strengths: r.strengths,
  improvements: r.improvements,
  nextActions: r.next_actions,
  summary: r.summary,
  model: r.model,
  derivedAt: r.derived_at.toISOString(),
});

/** A rep's insights, newest first, optionally within [from, to]. */
export const listInsights = async (
  pool: pg.Pool,
  userId: string,
  options: { limit: number; cursor: Cursor | null; from?: string | undefined; to?: string | undefined },
) => {
  const conditions = ['user_id = $1'];
  const values: unknown[] = [userId];
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
