import type pg from 'pg';

/**
 * How often each knowledge document was cited, counted at read time from the replies
 * themselves (`dialogue_messages.citations`): always right, including after a rebuild, with
 * nothing to keep in step. (`knowledge_documents.citation_count` is not maintained.) A reply
 * that cites a document twice counts once.
 */
export const citationCounts = async (pool: pg.Pool, documentIds?: readonly string[]) => {
  const { rows } = await pool.query<{ document_id: string; n: number }>(
    `SELECT c.value->>'documentId' AS document_id, count(DISTINCT (m.session_id, m.seq))::int AS n
       FROM dialogue_messages m CROSS JOIN LATERAL jsonb_array_elements(m.citations) c
      WHERE jsonb_typeof(m.citations) = 'array'
        AND ($1::text[] IS NULL OR c.value->>'documentId' = ANY($1::text[]))
      GROUP BY 1`,
    [documentIds ? [...documentIds] : null],
  );
  return new Map(rows.map((r) => [r.document_id, r.n]));
};

export type CitingSession = {
  sessionId: string;
  userId: string;
  /** The first citing message (to jump to). */
  seq: number;
  lastAt: string;
  /** Replies in the session that cited the document. */
  replies: number;
};

/** The sessions whose replies cited a document, newest first, for its page. */
export const citingSessions = async (
  pool: pg.Pool,
  documentId: string,
  limit = 20,
): Promise<CitingSession[]> => {
  const { rows } = await pool.query<{
    session_id: string;
    user_id: string;
    seq: number;
    last_at: Date;
    replies: number;
  }>(
    `SELECT session_id, min(user_id) AS user_id, min(seq) AS seq, max(sent_at) AS last_at, count(*)::int AS replies
       FROM dialogue_messages
      WHERE citations @> jsonb_build_array(jsonb_build_object('documentId', $1::text))
      GROUP BY session_id ORDER BY max(sent_at) DESC, session_id LIMIT $2`,
    [documentId, limit],
  );
  return rows.map((r) => ({
    sessionId: r.session_id,
    userId: r.user_id,
    seq: r.seq,
    lastAt: r.last_at.toISOString(),
    replies: r.replies,
  }));
};
