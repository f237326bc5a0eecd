import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import { type Bm25Parameters, bm25Defaults } from './bm25.ts';
import { activeGlossary, expandQuery, type Glossary } from './glossary.ts';
import { sectionLabel } from './passages.ts';
import { markdownToPlain } from './plain-text.ts';
import { type Highlight, makeSnippet } from './snippet.ts';

export const KnowledgeSearchOptions = z.object({
  limit: z.number().int().min(1).max(50).default(5),
  language: z.enum(['ja', 'en']).optional(),
});
export type KnowledgeSearchOptions = z.input<typeof KnowledgeSearchOptions>;

/** The passage of a document that a hit points at. */
export type KnowledgeSection = {
  passageNo: number;
  heading: string | null;
  page: number | null;
  slide: number | null;
  /** How a citation names it: `p. 3`, `slide 2: Pricing`, or the section heading. */
  label: string | null;
};

export type KnowledgeSearchHit = {
  documentId: string;
  documentVersion: number;
  title: string;
  tags: string[];
  language: 'ja' | 'en';
  score: number;
  /** The best passage of the document for the query. */
  section: KnowledgeSection;
  /** The passage's Markdown text. */
  passage: string;
  /** Plain text (no Markdown); `highlights` says where the query terms are in it. */
  snippet: string;
  highlights: Highlight[];
};

export type KnowledgeSearchTuning = { bm25?: Bm25Parameters; glossary?: Glossary };

const maxQueryLength = 1000;

type Row = {
  document_id: string;
  document_version: number;
  title: string;
  tags: string[];
  language: 'ja' | 'en';
  passage_no: number;
  heading: string | null;
  page: number | null;
  slide: number | null;
  text: string;
  score: number;
};

/**
 * BM25F over passages (the logical tables: the live generation's views; postings exist only for
 * live documents), each query term weighted (a glossary expansion counts less than the words the
 * rep typed); then each document's best passage, best documents first.
 */
const bm25Sql = `
WITH query_terms AS (
  SELECT term, max(weight) AS weight FROM unnest($1::text[], $11::float8[]) AS q (term, weight) GROUP BY term
), corpus AS (
  SELECT count(*)::float8 AS n,
    greatest(avg(title_length), 1)::float8 AS title_avg,
    greatest(avg(heading_length), 1)::float8 AS heading_avg,
    greatest(avg(tags_length), 1)::float8 AS tags_avg,
    greatest(avg(body_length), 1)::float8 AS body_avg
  FROM knowledge_passages
), postings AS (
  SELECT p.document_id, p.passage_no, p.term, p.field, p.tf FROM knowledge_terms p JOIN query_terms USING (term)
), frequencies AS (
  SELECT term, count(DISTINCT (document_id, passage_no))::float8 AS df FROM postings GROUP BY term
), weighted AS (
  SELECT p.document_id, p.passage_no, p.term, sum(p.tf * CASE p.field
      WHEN 'title' THEN $2::float8 / (1 - $3::float8 + $3::float8 * s.title_length / c.title_avg)
      WHEN 'heading' THEN $12::float8 / (1 - $13::float8 + $13::float8 * s.heading_length / c.heading_avg)
      WHEN 'tags' THEN $4::float8 / (1 - $5::float8 + $5::float8 * s.tags_length / c.tags_avg)
      ELSE $6::float8 / (1 - $7::float8 + $7::float8 * s.body_length / c.body_avg)
    END) AS tf
  FROM postings p JOIN knowledge_passages s USING (document_id, passage_no) CROSS JOIN corpus c
  GROUP BY p.document_id, p.passage_no, p.term
), scored AS (
  SELECT w.document_id, w.passage_no,
    sum(q.weight * ln(1 + (c.n - f.df + 0.5) / (f.df + 0.5)) * w.tf * ($8::float8 + 1) / ($8::float8 + w.tf)) AS score
  FROM weighted w JOIN frequencies f USING (term) JOIN query_terms q USING (term) CROSS JOIN corpus c
  GROUP BY w.document_id, w.passage_no
), best AS (
  SELECT DISTINCT ON (s.document_id) s.document_id, s.passage_no, s.score
  FROM scored s JOIN knowledge_documents d USING (document_id)
  WHERE d.retracted_at IS NULL AND ($9::text IS NULL OR d.language = $9::text)
  ORDER BY s.document_id, s.score DESC, s.passage_no
)
SELECT d.document_id, d.document_version, d.title, d.tags, d.language,
  b.passage_no, s.heading, s.page, s.slide, s.text, b.score
FROM best b JOIN knowledge_documents d USING (document_id)
  JOIN knowledge_passages s USING (document_id, passage_no)
ORDER BY b.score DESC, d.document_id
LIMIT $10`;

/**
 * Searches the knowledge base (Japanese and English) with BM25F over passages, the query
 * expanded through the sales glossary (other language, everyday words, jargon). An empty query
 * is a VALIDATION error; a query with no searchable terms (only particles or stop words) finds
 * nothing.
 */
export const searchKnowledge = async (
  db: pg.Pool | pg.ClientBase,
  query: string,
  options: KnowledgeSearchOptions = {},
  tuning: KnowledgeSearchTuning = {},
): Promise<KnowledgeSearchHit[]> => {
  if (query.trim().length === 0) throw new AppError('VALIDATION', 'the search query is empty');
  if (query.length > maxQueryLength) {
    throw new AppError('VALIDATION', `the search query is longer than ${maxQueryLength} characters`);
  }
  const parsed = KnowledgeSearchOptions.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION', `search options: ${z.prettifyError(parsed.error)}`);
  const { limit, language } = parsed.data;
  const expanded = expandQuery(query, tuning.glossary ?? activeGlossary());
  if (expanded.length === 0) return [];

  const { fields, k1 } = tuning.bm25 ?? bm25Defaults;
  const { rows } = await db.query<Row>(bm25Sql, [
    expanded.map((t) => t.term),
    fields.title.weight,
    fields.title.b,
    fields.tags.weight,
    fields.tags.b,
    fields.body.weight,
    fields.body.b,
    k1,
    language ?? null,
    limit,
    expanded.map((t) => t.weight),
    fields.heading.weight,
    fields.heading.b,
  ]);
  const termSet = new Set(expanded.map((t) => t.term));
  return rows.map((row) => {
    const snippet = makeSnippet(markdownToPlain(row.text), termSet);
    const section = { heading: row.heading, page: row.page, slide: row.slide };
    return {
      documentId: row.document_id,
      documentVersion: row.document_version,
      title: row.title,
      tags: row.tags,
      language: row.language,
      score: row.score,
      section: { passageNo: row.passage_no, ...section, label: sectionLabel(section) },
      passage: row.text,
      snippet: snippet.text,
      highlights: snippet.highlights,
    };
  });
};
