import type { TableNames } from '../projection.ts';

export const knowledgeTables = ['knowledge_documents', 'knowledge_terms'] as const;
export type KnowledgeTable = (typeof knowledgeTables)[number];

/**
 * One row per document (retracted ones stay, marked, so a later republish knows their version),
 * and the postings that BM25 reads: a term's frequency in one field of one live document. The
 * field lengths (in terms) sit on the document row; corpus averages are taken at query time.
 */
export const knowledgeDdl = (t: TableNames<KnowledgeTable>): string => `
CREATE TABLE IF NOT EXISTS ${t.knowledge_documents} (
  document_id text PRIMARY KEY,
  document_version integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  tags text[] NOT NULL,
  language text NOT NULL,
  content_hash text NOT NULL,
  source_path text,
  published_at timestamptz NOT NULL,
  retracted_at timestamptz,
  retraction_reason text,
  citation_count integer NOT NULL DEFAULT 0,
  title_length integer NOT NULL,
  tags_length integer NOT NULL,
  body_length integer NOT NULL,
  last_position_commit numeric(20) NOT NULL,
  last_position_prepare numeric(20) NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t.knowledge_terms} (
  document_id text NOT NULL REFERENCES ${t.knowledge_documents} (document_id) ON DELETE CASCADE,
  field text NOT NULL CHECK (field IN ('title', 'tags', 'body')),
  term text NOT NULL,
  tf integer NOT NULL CHECK (tf > 0),
  PRIMARY KEY (document_id, field, term)
);
CREATE INDEX IF NOT EXISTS ${t.knowledge_terms}_term_idx ON ${t.knowledge_terms} (term);
`;
