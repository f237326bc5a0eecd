import type pg from 'pg';

/** The span of a rep's sessions: the bounds of the time-travel control. Null when there are none. */
export const sessionSpan = async (
  pool: pg.Pool,
  userId: string,
): Promise<{ first: string; last: string; sessions: number } | null> => {
  const { rows } = await pool.query<{ first: Date | null; last: Date | null; n: number }>(
    'SELECT min(started_at) AS first, max(started_at) AS last, count(*)::int AS n FROM dialogue_sessions WHERE user_id = $1',
    [userId],
  );
  const row = rows[0];
  if (!row?.first || !row.last) return null;
  return { first: row.first.toISOString(), last: row.last.toISOString(), sessions: row.n };
};

export type RepSession = {
  sessionId: string;
  mode: 'coaching' | 'roleplay';
  persona: string | null;
  startedAt: string;
  endedAt: string | null;
  messageCount: number;
  insightCount: number;
  feedback: { up: number; down: number };
};

/** A rep's sessions started up to `until` (all when absent), newest first. */
export const repSessions = async (
  pool: pg.Pool,
  userId: string,
  options: { until?: string | undefined; limit?: number } = {},
): Promise<RepSession[]> => {
  const { rows } = await pool.query<{
    session_id: string;
    mode: 'coaching' | 'roleplay';
    persona: string | null;
    started_at: Date;
    ended_at: Date | null;
    message_count: number;
    insight_count: number;
    up: number;
    down: number;
  }>(
    `SELECT s.session_id, s.mode, s.persona, s.started_at, s.ended_at, s.message_count,
       (SELECT count(*)::int FROM conversation_insights i WHERE i.session_id = s.session_id) AS insight_count,
       (SELECT count(*)::int FROM dialogue_feedback f WHERE f.session_id = s.session_id AND f.rating = 'up') AS up,
       (SELECT count(*)::int FROM dialogue_feedback f WHERE f.session_id = s.session_id AND f.rating = 'down') AS down
       FROM dialogue_sessions s
      WHERE s.user_id = $1 AND ($2::timestamptz IS NULL OR s.started_at <= $2::timestamptz)
      ORDER BY s.started_at DESC, s.session_id DESC LIMIT $3`,
    [userId, options.until ?? null, options.limit ?? 100],
  );
  return rows.map((r) => ({
    sessionId: r.session_id,
    mode: r.mode,
    persona: r.persona,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    messageCount: r.message_count,
    insightCount: r.insight_count,
    feedback: { up: r.up, down: r.down },
  }));
};
