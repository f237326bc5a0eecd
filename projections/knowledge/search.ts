import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import { type Bm25Parameters, bm25Defaults } from './bm25.ts';
import { markdownToPlain } from './plain-text.ts';
import { type Highlight, makeSnippet } from './snippet.ts';
import { tokenize } from './tokenize.ts';

export const KnowledgeSearchOptions = z.object({
  limit: z.number().int().min(1).max(50).default(5),
  language: z.enum(['ja', 'en']).optional(),
});
export type KnowledgeSearchOptions = z.input<typeof KnowledgeSearchOptions>;

export type KnowledgeSearchHit = {
  documentId: string;
  documentVersion: number;
  title: string;
  tags: string[];
  language: 'ja' | 'en';
  score: number;
  /** Plain text (no Markdown); `highlights` says where the query terms are in it. */
  snippet: string;
  highlights: Highlight[];
};

const maxQueryLength = 1000;

type Row = {
  document_id: string;
  document_version: number;
  title: string;
  body: string;
  tags: string[];
  language: 'ja' | 'en';
  score: number;
};

/** Reads the logical tables (the live generation's views); postings exist only for live documents. */
const bm25Sql = `
WITH query_terms AS (
  SELECT DISTINCT unnest($1::text[]) AS term
), corpus AS (
  SELECT count(*)::float8 AS n,
    greatest(avg(title_length), 1)::float8 AS title_avg,
    greatest(avg(tags_length), 1)::float8 AS tags_avg,
    greatest(avg(body_length), 1)::float8 AS body_avg
  FROM knowledge_documents WHERE retracted_at IS NULL
), postings AS (
  SELECT p.document_id, p.term, p.field, p.tf FROM knowledge_terms p JOIN query_terms USING (term)
), frequencies AS (
  SELECT term, count(DISTINCT document_id)::float8 AS df FROM postings GROUP BY term
), weighted AS (
  SELECT p.document_id, p.term, sum(p.tf * CASE p.field
      WHEN 'title' THEN $2::float8 / (1 - $3::float8 + $3::float8 * d.title_length / c.title_avg)
      WHEN 'tags' THEN $4::float8 / (1 - $5::float8 + $5::float8 * d.tags_length / c.tags_avg)
      ELSE $6::float8 / (1 - $7::float8 + $7::float8 * d.body_length / c.body_avg)
    END) AS tf
  FROM postings p JOIN knowledge_documents d USING (document_id) CROSS JOIN corpus c
  WHERE d.retracted_at IS NULL AND ($9::text IS NULL OR d.language = $9::text)
  GROUP BY p.document_id, p.term
), scored AS (
  SELECT w.document_id,
    sum(ln(1 + (c.n - f.df + 0.5) / (f.df + 0.5)) * w.tf * ($8::float8 + 1) / ($8::float8 + w.tf)) AS score
  FROM weighted w JOIN frequencies f USING (term) CROSS JOIN corpus c
  GROUP BY w.document_id
)
SELECT d.document_id, d.document_version, d.title, d.body, d.tags, d.language, s.score
FROM scored s JOIN knowledge_documents d USING (document_id)
ORDER BY s.score DESC, d.document_id
LIMIT $10`;

/**
 * Searches the knowledge base (Japanese and English) with BM25F over the postings.
 * An empty query is a VALIDATION error; a query with no searchable terms (only particles or
 * stop words) finds nothing.
 */
export const searchKnowledge = async (
  db: pg.Pool | pg.ClientBase,
  query: string,
  options: KnowledgeSearchOptions = {},
  parameters: Bm25Parameters = bm25Defaults,
): Promise<KnowledgeSearchHit[]> => {
  if (query.trim().length === 0) throw new AppError('VALIDATION', 'the search query is empty');
  if (query.length > maxQueryLength) {
    throw new AppError('VALIDATION', `the search query is longer than ${maxQueryLength} characters`);
  }
  const parsed = KnowledgeSearchOptions.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION', `search options: ${z.prettifyError(parsed.error)}`);
  const { limit, language } = parsed.data;
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return [];

  const { fields, k1 } = parameters;
  const { rows } = await db.query<Row>(bm25Sql, [
    terms,
    fields.title.weight,
    fields.title.b,
    fields.tags.weight,
    fields.tags.b,
    fields.body.weight,
    fields.body.b,
    k1,
    language ?? null,
    limit,
  ]);
  const termSet = new Set(terms);
  return rows.map((row) => {
    const snippet = makeSnippet(markdownToPlain(row.body), termSet);
    return {
      documentId: row.document_id,
      documentVersion: row.document_version,
      title: row.title,
      tags: row.tags,
      language: row.language,
      score: row.score,
      snippet: snippet.text,
      highlights: snippet.highlights,
    };
  });
};
