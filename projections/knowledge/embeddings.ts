import type pg from 'pg';
import type { LexicalIndex, PassageScore } from './lexical-index.ts';

/** Turns texts into vectors (one per text, in order): the embeddings provider's port. */
export type Embedder = { model: string; embed: (texts: readonly string[]) => Promise<number[][]> };

/**
 * Vectors per passage text, keyed by the model and the passage's embedding key. Kept outside
 * the projection's generations: a rebuild re-creates the passages, not the (paid-for) vectors.
 */
export const knowledgeEmbeddingsDdl = `
CREATE TABLE IF NOT EXISTS knowledge_embeddings (
  model text NOT NULL,
  embedding_key text NOT NULL,
  vector real[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model, embedding_key)
)`;

/**
 * Embeds the live passages that have no vector for the embedder's model yet, `batch` at a
 * time; returns how many it stored. Safe to run in several processes (a vector stored twice is
 * the same vector).
 */
export const embedPendingPassages = async (
  pool: pg.Pool,
  embedder: Embedder,
  batch = 64,
): Promise<number> => {
  await pool.query(knowledgeEmbeddingsDdl);
  let stored = 0;
  for (;;) {
    const { rows } = await pool.query<{ embedding_key: string; title: string; text: string }>(
      `SELECT DISTINCT ON (s.embedding_key) s.embedding_key, d.title, s.text
       FROM knowledge_passages s JOIN knowledge_documents d USING (document_id)
       WHERE d.retracted_at IS NULL AND NOT EXISTS (
         SELECT 1 FROM knowledge_embeddings e WHERE e.model = $1 AND e.embedding_key = s.embedding_key)
       ORDER BY s.embedding_key LIMIT $2`,
      [embedder.model, batch],
    );
    if (rows.length === 0) return stored;
    const vectors = await embedder.embed(rows.map((r) => `${r.title}\n${r.text}`));
    await pool.query(
      `INSERT INTO knowledge_embeddings (model, embedding_key, vector)
       SELECT $1, k, string_to_array(v, ',')::real[] FROM unnest($2::text[], $3::text[]) AS x (k, v)
       ON CONFLICT DO NOTHING`,
      [embedder.model, rows.map((r) => r.embedding_key), vectors.map((v) => v.join(','))],
    );
    stored += rows.length;
  }
};

/** Unit-length vectors of the live passages that have one, aligned with a lexical index's passages. */
export type SemanticIndex = { signature: string; dimensions: number; vectors: Float32Array; has: Uint8Array };

const normalise = (v: ArrayLike<number>, out: Float32Array, at: number) => {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < v.length; i++) out[at + i] = v[i]! * scale;
};

type CachedVectors = { key: string; lexical: string; index: Promise<SemanticIndex>; ready?: SemanticIndex };
const cache = new WeakMap<object, CachedVectors>();
const created = new WeakSet<object>();

/**
 * The vectors of the passages of `lexical`, in its passage order, for `model`: loaded again when
 * the lexical index changes or new vectors have been stored since (in the background for the
 * latter: passages not embedded yet are found by BM25F alone meanwhile).
 */
export const semanticIndex = async (
  db: pg.Pool | pg.ClientBase,
  lexical: LexicalIndex,
  model: string,
): Promise<SemanticIndex> => {
  if (!created.has(db)) {
    await db.query(knowledgeEmbeddingsDdl);
    created.add(db);
  }
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM knowledge_embeddings WHERE model = $1',
    [model],
  );
  const key = `${lexical.signature}|${model}|${rows[0]!.n}`;
  const cached = cache.get(db);
  if (cached?.key === key) return cached.ready ?? cached.index;
  const load = (async (): Promise<SemanticIndex> => {
    const { rows: vectors } = await db.query<{ document_id: string; passage_no: number; vector: number[] }>(
      `SELECT s.document_id, s.passage_no, e.vector FROM knowledge_passages s
       JOIN knowledge_embeddings e ON e.model = $1 AND e.embedding_key = s.embedding_key`,
      [model],
    );
    const n = lexical.passageNos.length;
    const dimensions = vectors[0]?.vector.length ?? 0;
    const out = new Float32Array(n * dimensions);
    const has = new Uint8Array(n);
    const position = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      position.set(`${lexical.documentIds[lexical.documentOf[i]!]}\u0000${lexical.passageNos[i]}`, i);
    }
    for (const row of vectors) {
      const i = position.get(`${row.document_id}\u0000${row.passage_no}`);
      if (i === undefined || row.vector.length !== dimensions) continue;
      normalise(row.vector, out, i * dimensions);
      has[i] = 1;
    }
    return { signature: key, dimensions, vectors: out, has };
  })();
  const entry: CachedVectors = { key, lexical: lexical.signature, index: load };
  cache.set(db, entry);
  load.then(
    (index) => {
      entry.ready = index;
    },
    () => {
      if (cache.get(db) === entry) cache.delete(db);
    },
  );
  // New vectors for the same passages (the embedder at work): keep answering with the vectors
  // already loaded until the new ones are.
  if (cached?.ready && cached.lexical === lexical.signature) {
    load.catch(() => {});
    return cached.ready;
  }
  return load;
};

/** Each document's most similar passage (cosine), best first. */
export const rankBySimilarity = (
  lexical: LexicalIndex,
  semantic: SemanticIndex,
  query: readonly number[],
  options: { limit: number; language?: 'ja' | 'en' | undefined },
): PassageScore[] => {
  const { dimensions, vectors, has } = semantic;
  if (dimensions === 0 || query.length !== dimensions) return [];
  const q = new Float32Array(dimensions);
  normalise(query, q, 0);
  const best = new Map<number, { passage: number; score: number }>();
  for (let p = 0; p < has.length; p++) {
    if (!has[p] || (options.language && lexical.languages[p] !== options.language)) continue;
    let dot = 0;
    const at = p * dimensions;
    for (let i = 0; i < dimensions; i++) dot += vectors[at + i]! * q[i]!;
    const document = lexical.documentOf[p]!;
    const current = best.get(document);
    if (!current || dot > current.score) best.set(document, { passage: p, score: dot });
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || a.passage - b.passage)
    .slice(0, options.limit)
    .map(({ passage, score }) => ({
      documentId: lexical.documentIds[lexical.documentOf[passage]!]!,
      passageNo: lexical.passageNos[passage]!,
      score,
    }));
};

/** Reciprocal rank fusion (k = 60): documents high in either ranking come first. */
export const fuseRankings = (
  rankings: readonly (readonly PassageScore[])[],
  limit: number,
  k = 60,
): PassageScore[] => {
  const fused = new Map<string, PassageScore>();
  for (const ranking of rankings) {
    ranking.forEach((hit, rank) => {
      const current = fused.get(hit.documentId);
      const score = 1 / (k + rank + 1);
      // The passage the first ranking (lexical) chose stays the one shown.
      if (current) current.score += score;
      else fused.set(hit.documentId, { ...hit, score });
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId))
    .slice(0, limit);
};

const queryVectors = new Map<string, Promise<number[]>>();
const maxCachedQueries = 500;

/** The query's vector, remembered for the most recent queries (one provider call per new query). */
export const embedQuery = (embedder: Embedder, query: string): Promise<number[]> => {
  const key = `${embedder.model}\u0000${query}`;
  let vector = queryVectors.get(key);
  if (!vector) {
    vector = embedder.embed([query]).then((vectors) => vectors[0] ?? []);
    vector.catch(() => queryVectors.delete(key));
    queryVectors.set(key, vector);
    if (queryVectors.size > maxCachedQueries) queryVectors.delete(queryVectors.keys().next().value!);
  }
  return vector;
};

let activeEmbedder: Embedder | undefined;

/** Makes searches in this process fuse semantic search with BM25F (set once at start-up). */
export const useEmbedder = (embedder: Embedder | undefined): void => {
  activeEmbedder = embedder;
};

export const configuredEmbedder = (): Embedder | undefined => activeEmbedder;
