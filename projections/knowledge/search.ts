import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import { type Bm25Parameters, bm25Defaults } from './bm25.ts';
import {
  configuredEmbedder,
  type Embedder,
  embedQuery,
  fuseRankings,
  rankBySimilarity,
  semanticIndex,
} from './embeddings.ts';
import { activeGlossary, expandQuery, type Glossary } from './glossary.ts';
import { lexicalIndex, type PassageScore, scorePassages } from './lexical-index.ts';
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

export type KnowledgeSearchTuning = {
  bm25?: Bm25Parameters;
  glossary?: Glossary;
  /** From how many passages a changed read model is re-indexed in the background. */
  backgroundIndexFrom?: number;
  /** Semantic search fused with BM25F; default: the process's (`useEmbedder`), else none. `null`: none. */
  embedder?: Embedder | null;
};

/** How many documents each ranking contributes to the fusion. */
const fusionDepth = 50;

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
};

const passagesSql = `
SELECT d.document_id, d.document_version, d.title, d.tags, d.language,
  s.passage_no, s.heading, s.page, s.slide, s.text
FROM unnest($1::text[], $2::int[]) AS k (document_id, passage_no)
  JOIN knowledge_passages s USING (document_id, passage_no)
  JOIN knowledge_documents d USING (document_id)
WHERE d.retracted_at IS NULL`;

/**
 * Searches the knowledge base (Japanese and English) with BM25F over passages (scored in
 * process on an index of the read model's postings, which is far faster than aggregating
 * postings in SQL once the base is large), the query
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

  const index = await lexicalIndex(
    db,
    tuning.backgroundIndexFrom !== undefined ? { backgroundFrom: tuning.backgroundIndexFrom } : {},
  );
  const embedder = tuning.embedder === undefined ? configuredEmbedder() : (tuning.embedder ?? undefined);
  let ranked: PassageScore[];
  if (embedder) {
    const lexical = scorePassages(index, expanded, tuning.bm25 ?? bm25Defaults, {
      limit: fusionDepth,
      language,
    });
    const [semantic, vector] = await Promise.all([
      semanticIndex(db, index, embedder.model),
      embedQuery(embedder, query),
    ]);
    const similar = rankBySimilarity(index, semantic, vector, { limit: fusionDepth, language });
    ranked = fuseRankings([lexical, similar], limit);
  } else {
    ranked = scorePassages(index, expanded, tuning.bm25 ?? bm25Defaults, { limit, language });
  }
  if (ranked.length === 0) return [];
  const { rows } = await db.query<Row>(passagesSql, [
    ranked.map((r) => r.documentId),
    ranked.map((r) => r.passageNo),
  ]);
  const byKey = new Map(rows.map((row) => [`${row.document_id}\u0000${row.passage_no}`, row]));
  const termSet = new Set(expanded.map((t) => t.term));
  // A document retracted since the index was read is left out.
  return ranked
    .flatMap(({ documentId, passageNo, score }) => {
      const row = byKey.get(`${documentId}\u0000${passageNo}`);
      return row ? [{ row, score }] : [];
    })
    .map(({ row, score }) => {
      const snippet = makeSnippet(markdownToPlain(row.text), termSet);
      const section = { heading: row.heading, page: row.page, slide: row.slide };
      return {
        documentId: row.document_id,
        documentVersion: row.document_version,
        title: row.title,
        tags: row.tags,
        language: row.language,
        score,
        section: { passageNo: row.passage_no, ...section, label: sectionLabel(section) },
        passage: row.text,
        snippet: snippet.text,
        highlights: snippet.highlights,
      };
    });
};
