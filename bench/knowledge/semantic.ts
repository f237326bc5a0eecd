import type pg from 'pg';
import {
  type Embedder,
  knowledgeEmbeddingsDdl,
  rankBySimilarity,
  semanticIndex,
} from '../../projections/knowledge/embeddings.ts';
import { lexicalIndex } from '../../projections/knowledge/lexical-index.ts';
import { searchKnowledge } from '../../projections/knowledge/search.ts';
import type { Figure } from '../lib/report.ts';

/** The size of OpenAI's text-embedding-3-small vectors. */
const dimensions = 1536;

const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
};

/** Deterministic pseudo-random vectors: the cost of similarity search does not depend on meaning. */
const vectorOf = (text: string): number[] => {
  let seed = 7;
  for (const char of text) seed = (seed * 31 + char.charCodeAt(0)) % 2147483647;
  const next = random(seed);
  return Array.from({ length: dimensions }, next);
};

const benchEmbedder: Embedder = { model: 'bench-1536', embed: async (texts) => texts.map(vectorOf) };

const sqlSimilarity = `
SELECT s.document_id, s.passage_no,
  (SELECT sum(a * b) FROM unnest(e.vector, $2::real[]) AS t (a, b)) AS dot
FROM knowledge_passages s JOIN knowledge_embeddings e ON e.model = $1 AND e.embedding_key = s.embedding_key
ORDER BY dot DESC LIMIT 50`;

const p50 = async (rounds: number, queries: readonly string[], run: (q: string) => Promise<unknown>) => {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const started = performance.now();
      await run(q);
      samples.push(performance.now() - started);
    }
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
};

/**
 * Semantic search at the same size: 1,536-dimension vectors for every passage (made here, not
 * by a provider), cosine similarity in process and the same in SQL (real[] arrays; no pgvector
 * on the target machines), and a whole hybrid search with the query's vector already known.
 */
export const semanticFigures = async (pool: pg.Pool, queries: readonly string[]): Promise<Figure[]> => {
  await pool.query(knowledgeEmbeddingsDdl);
  const { rows } = await pool.query<{ embedding_key: string }>(
    'SELECT DISTINCT embedding_key FROM knowledge_passages',
  );
  for (let i = 0; i < rows.length; i += 500) {
    const keys = rows.slice(i, i + 500).map((r) => r.embedding_key);
    await pool.query(
      `INSERT INTO knowledge_embeddings (model, embedding_key, vector)
       SELECT $1, k, string_to_array(v, ',')::real[] FROM unnest($2::text[], $3::text[]) AS x (k, v) ON CONFLICT DO NOTHING`,
      [benchEmbedder.model, keys, keys.map((k) => vectorOf(k).join(','))],
    );
  }
  const lexical = await lexicalIndex(pool);
  const build = performance.now();
  const semantic = await semanticIndex(pool, lexical, benchEmbedder.model);
  const buildMs = performance.now() - build;
  const inProcess = await p50(3, queries, async (q) =>
    rankBySimilarity(lexical, semantic, vectorOf(q), { limit: 50 }),
  );
  const inSql = await p50(1, queries.slice(0, 10), (q) =>
    pool.query(sqlSimilarity, [benchEmbedder.model, `{${vectorOf(q).join(',')}}`]),
  );
  for (const q of queries) await searchKnowledge(pool, q, { limit: 5 }, { embedder: benchEmbedder });
  const hybrid = await p50(3, queries, (q) =>
    searchKnowledge(pool, q, { limit: 5 }, { embedder: benchEmbedder }),
  );
  return [
    { name: 'hybrid search p50 (BM25F + cosine, RRF; query vector cached)', value: hybrid, unit: 'ms' },
    {
      name: `cosine over ${semantic.has.length.toLocaleString('en-US')} × 1,536 in process, p50`,
      value: inProcess,
      unit: 'ms',
    },
    {
      name: 'the same similarity in SQL (real[]), p50',
      value: inSql,
      unit: 'ms',
      baseline: { name: 'in process', value: inProcess },
      ratio: inSql / inProcess,
    },
    { name: 'vector index load', value: buildMs, unit: 'ms' },
  ];
};
