import type pg from 'pg';
import { type Bm25Parameters, bm25Defaults } from '../../projections/knowledge/bm25.ts';
import { activeGlossary, expandQuery } from '../../projections/knowledge/glossary.ts';

/**
 * The same BM25F ranking aggregated in SQL over the postings table (how search ran before the
 * in-process index): kept here only so the bench shows both at the same size in the same run.
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

export const searchInSql = async (
  db: pg.Pool,
  query: string,
  limit = 5,
  parameters: Bm25Parameters = bm25Defaults,
): Promise<string[]> => {
  const expanded = expandQuery(query, activeGlossary());
  if (expanded.length === 0) return [];
  const { fields, k1 } = parameters;
  const { rows } = await db.query<{ document_id: string }>(bm25Sql, [
    expanded.map((t) => t.term),
    fields.title.weight,
    fields.title.b,
    fields.tags.weight,
    fields.tags.b,
    fields.body.weight,
    fields.body.b,
    k1,
    null,
    limit,
    expanded.map((t) => t.weight),
    fields.heading.weight,
    fields.heading.b,
  ]);
  return rows.map((r) => r.document_id);
};
