import type pg from 'pg';

export type TeamSession = { sessionId: string; userId: string; startedAt: string; messageCount: number };

/** The newest sessions of these reps (a manager's App Home), newest first. */
export const recentTeamSessions = async (
  pool: Pick<pg.Pool, 'query'>,
  userIds: readonly string[],
  limit: number,
): Promise<TeamSession[]> => {
  if (userIds.length === 0) return [];
  const { rows } = await pool.query<{
    session_id: string;
    user_id: string;
    started_at: Date;
    message_count: number;
  }>(
    `SELECT session_id, user_id, started_at, message_count FROM dialogue_sessions
      WHERE user_id = ANY($1::text[]) ORDER BY started_at DESC, session_id LIMIT $2`,
    [userIds, limit],
  );
  return rows.map((r) => ({
    sessionId: r.session_id,
    userId: r.user_id,
    startedAt: r.started_at.toISOString(),
    messageCount: Number(r.message_count),
  }));
};

/** Whose session it is and when it started; undefined when the read model has no such session. */
export const sessionOwner = async (
  pool: Pick<pg.Pool, 'query'>,
  sessionId: string,
): Promise<{ userId: string; startedAt: string } | undefined> => {
  const { rows } = await pool.query<{ user_id: string; started_at: Date }>(
    'SELECT user_id, started_at FROM dialogue_sessions WHERE session_id = $1',
    [sessionId],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, startedAt: row.started_at.toISOString() } : undefined;
};
