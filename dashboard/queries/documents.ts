import type pg from 'pg';

export type DocumentSummary = {
  documentId: string;
  version: number;
  title: string;
  tags: string[];
  language: string;
  publishedAt: string;
};

export type DocumentDetail = DocumentSummary & {
  body: string;
  sourcePath: string | null;
  retractedAt: string | null;
  retractionReason: string | null;
};

type Row = {
  document_id: string;
  document_version: number;
  title: string;
  body: string;
  tags: string[];
  language: string;
  source_path: string | null;
  published_at: Date;
  retracted_at: Date | null;
  retraction_reason: string | null;
};

const summary = (r: Row): DocumentSummary => ({
  documentId: r.document_id,
  version: r.document_version,
  title: r.title,
  tags: r.tags,
  language: r.language,
  publishedAt: r.published_at.toISOString(),
});

/** Every live document, by title (the browser's list when nothing is searched). */
export const listDocuments = async (pool: pg.Pool): Promise<DocumentSummary[]> => {
  const { rows } = await pool.query<Row>(
    `SELECT document_id, document_version, title, tags, language, published_at
       FROM knowledge_documents WHERE retracted_at IS NULL ORDER BY title, document_id`,
  );
  return rows.map(summary);
};

/** One document, retracted or not (an old reply may cite a retracted one). */
export const findDocument = async (pool: pg.Pool, documentId: string): Promise<DocumentDetail | null> => {
  const { rows } = await pool.query<Row>('SELECT * FROM knowledge_documents WHERE document_id = $1', [
    documentId,
  ]);
  const row = rows[0];
  if (!row) return null;
  return {
    ...summary(row),
    body: row.body,
    sourcePath: row.source_path,
    retractedAt: row.retracted_at?.toISOString() ?? null,
    retractionReason: row.retraction_reason,
  };
};
