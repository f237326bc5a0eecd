import type { TableNames } from '../projection.ts';

export const knowledgeTables = ['knowledge_documents', 'knowledge_passages', 'knowledge_terms'] as const;
export type KnowledgeTable = (typeof knowledgeTables)[number];

/**
 * One row per document (retracted ones stay, marked, so a later republish knows their version);
 * its passages (sections, pages, slides: what a hit points at), with their field lengths in
 * terms; and the postings that BM25F reads: a term's frequency in one field of one passage of a
 * live document. The document's title and tags are fields of each of its passages.
 */
export const knowledgeDdl = (t: TableNames<KnowledgeTable>): string => `
CREATE TABLE IF NOT EXISTS ${t.knowledge_documents} (
  document_id text PRIMARY KEY,
  document_version integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  tags text[] NOT NULL,
  language text NOT NULL,
  format text NOT NULL,
  content_hash text NOT NULL,
  source_path text,
  published_at timestamptz NOT NULL,
  retracted_at timestamptz,
  retraction_reason text,
  citation_count integer NOT NULL DEFAULT 0,
  last_position_commit numeric(20) NOT NULL,
  last_position_prepare numeric(20) NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t.knowledge_passages} (
  document_id text NOT NULL REFERENCES ${t.knowledge_documents} (document_id) ON DELETE CASCADE,
  passage_no integer NOT NULL,
  heading text,
  page integer,
  slide integer,
  text text NOT NULL,
  embedding_key text NOT NULL,
  title_length integer NOT NULL,
  heading_length integer NOT NULL,
  tags_length integer NOT NULL,
  body_length integer NOT NULL,
  PRIMARY KEY (document_id, passage_no)
);
CREATE TABLE IF NOT EXISTS ${t.knowledge_terms} (
  document_id text NOT NULL,
  passage_no integer NOT NULL,
  field text NOT NULL CHECK (field IN ('title', 'heading', 'tags', 'body')),
  term text NOT NULL,
  tf integer NOT NULL CHECK (tf > 0),
  PRIMARY KEY (document_id, passage_no, field, term),
  FOREIGN KEY (document_id, passage_no) REFERENCES ${t.knowledge_passages} (document_id, passage_no) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ${t.knowledge_terms}_term_idx ON ${t.knowledge_terms} (term);
`;
