import type pg from 'pg';
import type { SessionSummary } from '../../schemas/api/read-models.ts';
import { type Cursor, encodeCursor } from '../cursor.ts';

type SessionRow = {
  session_id: string;
  user_id: string;
  mode: 'coaching' | 'roleplay';
  persona: string | null;
  channel_kind: string;
  started_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  message_count: number;
  last_message_at: Date | null;
  insight_count: number;
  up: number;
  down: number;
};

const summaryColumns = `
  s.session_id, s.user_id, s.mode, s.persona, s.channel_kind, s.started_at, s.ended_at, s.end_reason,
  s.message_count, s.last_message_at,
  (SELECT count(*)::int FROM conversation_insights i WHERE i.session_id = s.session_id) AS insight_count,
  (SELECT count(*)::int FROM dialogue_feedback f WHERE f.session_id = s.session_id AND f.rating = 'up') AS up,
  (SELECT count(*)::int FROM dialogue_feedback f WHERE f.session_id = s.session_id AND f.rating = 'down') AS down`;

const toSummary = (r: SessionRow): SessionSummary => ({
  sessionId: r.session_id,
  userId: r.user_id,
  mode: r.mode,
  persona: r.persona,
  channelKind: r.channel_kind,
  startedAt: r.started_at.toISOString(),
  endedAt: r.ended_at?.toISOString() ?? null,
  endReason: r.end_reason,
  messageCount: r.message_count,
  lastMessageAt: r.last_message_at?.toISOString() ?? null,
  insightCount: r.insight_count,
  feedback: { up: r.up, down: r.down },
});

/** A rep's sessions, newest first, one page after the cursor. */
export const listSessions = async (pool: pg.Pool, userId: string, limit: number, cursor: Cursor | null) => {
  const { rows } = await pool.query<SessionRow>(
    `SELECT ${summaryColumns} FROM dialogue_sessions s
      WHERE s.user_id = $1 ${cursor ? 'AND (s.started_at, s.session_id) < ($3::timestamptz, $4::uuid)' : ''}
      ORDER BY s.started_at DESC, s.session_id DESC
      LIMIT $2`,
    cursor ? [userId, limit + 1, cursor.at, cursor.id] : [userId, limit + 1],
  );
  const page = rows.slice(0, limit).map(toSummary);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.startedAt, id: last.sessionId }) : null,
  };
};

export const findSession = async (pool: pg.Pool, sessionId: string) => {
  const { rows } = await pool.query<SessionRow>(
    `SELECT ${summaryColumns} FROM dialogue_sessions s WHERE s.session_id = $1`,
    [sessionId],
  );
  const row = rows[0];
  if (!row) return null;
  const messages = await pool.query<{
    seq: number;
    message_id: string;
    role: 'user' | 'assistant';
    user_id: string;
    text: string;
    format: string;
    reply_to: string | null;
    citations: { documentId: string; title: string; version?: number; section?: string }[];
    sent_at: Date;
  }>('SELECT * FROM dialogue_messages WHERE session_id = $1 ORDER BY seq', [sessionId]);
  return {
    ...toSummary(row),
    messages: messages.rows.map((m) => ({
      seq: m.seq,
      messageId: m.message_id,
      role: m.role,
      userId: m.user_id,
      text: m.text,
      format: m.format,
      replyTo: m.reply_to,
      citations: m.citations,
      sentAt: m.sent_at.toISOString(),
    })),
  };
};

export const userHasSessions = async (pool: pg.Pool, userId: string) =>
  ((await pool.query('SELECT 1 FROM dialogue_sessions WHERE user_id = $1 LIMIT 1', [userId])).rowCount ?? 0) >
  0;
