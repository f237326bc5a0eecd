import type pg from 'pg';
import type { RubricRef } from '../../schemas/rubrics.ts';
import type { RescoreSession } from '../../write/agent/rescore.ts';
import type { PersonalText } from '../../write/crypto/personal-text.ts';

export type SessionFilter = {
  rubric: RubricRef;
  /** Sessions started at or after this instant. */
  since?: string | undefined;
  /** Only these reps (a team); everyone when absent. */
  userIds?: readonly string[] | undefined;
};

export type PlannedSession = Omit<RescoreSession, 'transcript'>;

/**
 * The sessions to score again, oldest first, from the read models: those not already rescored
 * on the rubric version as far as the insights read model knows (the write side checks again,
 * so a lagging read model costs a skipped session, never a second score).
 */
export const plannedSessions = async (pool: pg.Pool, filter: SessionFilter): Promise<PlannedSession[]> => {
  const { rows } = await pool.query<{
    session_id: string;
    conversation_id: string;
    user_id: string;
    mode: 'coaching' | 'roleplay';
    persona: string | null;
  }>(
    `SELECT s.session_id, s.conversation_id, s.user_id, s.mode, s.persona
       FROM dialogue_sessions s
      WHERE ($1::timestamptz IS NULL OR s.started_at >= $1::timestamptz)
        AND ($2::text[] IS NULL OR s.user_id = ANY($2::text[]))
        AND EXISTS (SELECT 1 FROM dialogue_messages m WHERE m.session_id = s.session_id AND m.role = 'user')
        AND NOT EXISTS (
          SELECT 1 FROM conversation_insights i
           WHERE i.session_id = s.session_id AND i.origin = 'rescore'
             AND i.rubric_id = $3 AND i.rubric_version = $4)
      ORDER BY s.started_at, s.session_id`,
    [
      filter.since ?? null,
      filter.userIds ? [...filter.userIds] : null,
      filter.rubric.id,
      filter.rubric.version,
    ],
  );
  return rows.map((r) => ({
    sessionId: r.session_id,
    conversationId: r.conversation_id,
    userId: r.user_id,
    mode: r.mode,
    persona: r.persona,
  }));
};

/** A session's messages in order, opened (the read tables hold personal text sealed). */
export const withTranscript = async (
  pool: pg.Pool,
  personal: PersonalText,
  session: PlannedSession,
): Promise<RescoreSession> => {
  const { rows } = await pool.query<{ role: 'user' | 'assistant'; text: string }>(
    'SELECT role, text FROM dialogue_messages WHERE session_id = $1 ORDER BY seq',
    [session.sessionId],
  );
  const opened = await personal.openDeep({ persona: session.persona, rows });
  return {
    ...session,
    persona: opened.persona,
    transcript: opened.rows.map((r) => ({ role: r.role, content: r.text })),
  };
};
