import type pg from 'pg';
import type { Bm25Parameters } from './bm25.ts';
import type { WeightedTerm } from './glossary.ts';
import { type KnowledgeField, knowledgeFields } from './postings.ts';

type Postings = { passages: Int32Array; fields: Uint8Array; tfs: Uint16Array; df: number };

/** The live passages' postings in memory, as of one state of the read model (`signature`). */
export type LexicalIndex = {
  signature: string;
  documentIds: string[];
  /** Per passage: its document (index into documentIds), number, language and field lengths. */
  documentOf: Int32Array;
  passageNos: Int32Array;
  languages: ('ja' | 'en')[];
  lengths: Record<KnowledgeField, Float64Array>;
  averages: Record<KnowledgeField, number>;
  postings: Map<string, Postings>;
};

/**
 * What the index was built from: the live documents' versions and positions, and the identity
 * of the passages view (a rebuilt projection exposes new tables under a new view).
 */
const signatureSql = `
SELECT 'knowledge_passages'::regclass::oid::text || ':' || count(*) || ':' || coalesce(sum(document_version), 0) || ':'
  || coalesce(max(last_position_commit), 0) || ':' || coalesce(max(last_position_prepare), 0) || ':'
  || count(retracted_at) AS signature
FROM knowledge_documents`;

const livePassagesSql = `
SELECT s.document_id, s.passage_no, d.language, s.title_length, s.heading_length, s.tags_length, s.body_length
FROM knowledge_passages s JOIN knowledge_documents d USING (document_id)
WHERE d.retracted_at IS NULL ORDER BY s.document_id, s.passage_no`;

/** Postings keyed by the passage's place in livePassagesSql's order, fields as numbers. */
const postingsSql = `
SELECT t.term, p.idx, CASE t.field ${knowledgeFields.map((f, i) => `WHEN '${f}' THEN ${i}`).join(' ')} END AS field, t.tf
FROM knowledge_terms t JOIN (
  SELECT document_id, passage_no, (row_number() OVER (ORDER BY s.document_id, s.passage_no) - 1)::int AS idx
  FROM knowledge_passages s JOIN knowledge_documents d USING (document_id) WHERE d.retracted_at IS NULL
) p USING (document_id, passage_no)
ORDER BY p.idx`;

type Growing = { passages: number[]; fields: number[]; tfs: number[] };

const readAll = async (client: pg.ClientBase, signature: string): Promise<LexicalIndex> => {
  const passages = await client.query({ text: livePassagesSql, rowMode: 'array' });
  const n = passages.rows.length;
  const documentIds: string[] = [];
  const documentOf = new Int32Array(n);
  const passageNos = new Int32Array(n);
  const languages: ('ja' | 'en')[] = [];
  const lengths = Object.fromEntries(knowledgeFields.map((f) => [f, new Float64Array(n)])) as Record<
    KnowledgeField,
    Float64Array
  >;
  passages.rows.forEach((row: unknown[], i) => {
    const [documentId, passageNo, language, ...fieldLengths] = row as [
      string,
      number,
      'ja' | 'en',
      ...number[],
    ];
    if (documentIds.at(-1) !== documentId) documentIds.push(documentId);
    documentOf[i] = documentIds.length - 1;
    passageNos[i] = passageNo;
    languages.push(language);
    knowledgeFields.forEach((f, j) => {
      lengths[f][i] = fieldLengths[j]!;
    });
  });
  const averages = Object.fromEntries(
    knowledgeFields.map((f) => [f, Math.max(1, n === 0 ? 1 : lengths[f].reduce((a, b) => a + b, 0) / n)]),
  ) as Record<KnowledgeField, number>;

  const growing = new Map<string, Growing>();
  const terms = await client.query({ text: postingsSql, rowMode: 'array' });
  for (const [term, passage, field, tf] of terms.rows as [string, number, number, number][]) {
    let list = growing.get(term);
    if (!list) {
      list = { passages: [], fields: [], tfs: [] };
      growing.set(term, list);
    }
    list.passages.push(passage);
    list.fields.push(field);
    list.tfs.push(tf);
  }
  const postings = new Map<string, Postings>();
  for (const [term, list] of growing) {
    let df = 0;
    for (let i = 0; i < list.passages.length; i++)
      if (i === 0 || list.passages[i] !== list.passages[i - 1]) df++;
    postings.set(term, {
      passages: Int32Array.from(list.passages),
      fields: Uint8Array.from(list.fields),
      tfs: Uint16Array.from(list.tfs, (tf) => Math.min(tf, 65535)),
      df,
    });
  }
  return { signature, documentIds, documentOf, passageNos, languages, lengths, averages, postings };
};

/** Reads passages and postings from one snapshot, so that they agree with each other. */
const load = async (db: pg.Pool | pg.ClientBase, signature: string): Promise<LexicalIndex> => {
  const pooled = 'totalCount' in db;
  const client = pooled ? await (db as pg.Pool).connect() : (db as pg.ClientBase);
  try {
    if (!pooled) return await readAll(client, signature);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await readAll(client, signature);
    } finally {
      await client.query('COMMIT');
    }
  } finally {
    if (pooled) (client as pg.PoolClient).release();
  }
};

/** An index being built or built; `fallback` is the last complete one before it. */
type Cached = {
  signature: string;
  index: Promise<LexicalIndex>;
  ready?: LexicalIndex;
  fallback?: LexicalIndex;
};
const cache = new WeakMap<object, Cached>();

/**
 * From this many passages on, a change of the read model is indexed in the background while
 * searches keep using the previous index (a build then takes seconds): for those few seconds a
 * new document is not found yet and a retracted one is already left out (its rows are gone).
 * Smaller bases are re-indexed before the search answers, so it sees every change at once.
 */
export const backgroundRebuildFrom = 2000;

/**
 * The index for `db`'s read model: built on first use and again whenever the read model has
 * changed since (checked on every search with one small query), shared by concurrent searches.
 */
export const lexicalIndex = async (
  db: pg.Pool | pg.ClientBase,
  options: { backgroundFrom?: number } = {},
): Promise<LexicalIndex> => {
  const { rows } = await db.query<{ signature: string }>(signatureSql);
  const signature = rows[0]!.signature;
  const backgroundFrom = options.backgroundFrom ?? backgroundRebuildFrom;
  const usable = (entry: Cached) =>
    entry.ready ??
    (entry.fallback && entry.fallback.passageNos.length >= backgroundFrom ? entry.fallback : entry.index);
  const cached = cache.get(db);
  if (cached?.signature === signature) return usable(cached);
  const fallback = cached?.ready ?? cached?.fallback;
  const entry: Cached = { signature, index: load(db, signature), ...(fallback ? { fallback } : {}) };
  entry.index.then(
    (index) => {
      entry.ready = index;
      delete entry.fallback;
    },
    () => {
      if (cache.get(db) === entry) cache.delete(db);
    },
  );
  cache.set(db, entry);
  return usable(entry);
};

/** The index build under way for `db`, if any (tests and the bench wait for it). */
export const indexBuild = (db: pg.Pool | pg.ClientBase): Promise<unknown> =>
  cache.get(db)?.index ?? Promise.resolve();

export type PassageScore = { documentId: string; passageNo: number; score: number };

/**
 * BM25F: per passage and term, field frequencies weighted and length-normalised, summed, then
 * saturated once; times the term's idf and its query weight. Returns each document's best
 * passage, best first.
 */
export const scorePassages = (
  index: LexicalIndex,
  terms: readonly WeightedTerm[],
  parameters: Bm25Parameters,
  options: { limit: number; language?: 'ja' | 'en' | undefined },
): PassageScore[] => {
  const n = index.passageNos.length;
  const scores = new Float64Array(n);
  const touched: number[] = [];
  const { k1 } = parameters;
  const fieldParameters = knowledgeFields.map((f) => parameters.fields[f]);
  for (const { term, weight } of terms) {
    const list = index.postings.get(term);
    if (!list) continue;
    const idf = Math.log(1 + (n - list.df + 0.5) / (list.df + 0.5));
    let i = 0;
    while (i < list.passages.length) {
      const passage = list.passages[i]!;
      let tf = 0;
      for (; i < list.passages.length && list.passages[i] === passage; i++) {
        const f = list.fields[i]!;
        const { weight: w, b } = fieldParameters[f]!;
        const field = knowledgeFields[f]!;
        tf += (list.tfs[i]! * w) / (1 - b + (b * index.lengths[field][passage]!) / index.averages[field]);
      }
      if (scores[passage] === 0) touched.push(passage);
      scores[passage]! += (weight * idf * tf * (k1 + 1)) / (k1 + tf);
    }
  }
  const best = new Map<number, number>();
  for (const passage of touched) {
    if (options.language && index.languages[passage] !== options.language) continue;
    const document = index.documentOf[passage]!;
    const current = best.get(document);
    if (
      current === undefined ||
      scores[passage]! > scores[current]! ||
      (scores[passage] === scores[current] && passage < current)
    )
      best.set(document, passage);
  }
  return [...best.values()]
    .sort(
      (a, b) =>
        scores[b]! - scores[a]! ||
        index.documentIds[index.documentOf[a]!]!.localeCompare(index.documentIds[index.documentOf[b]!]!),
    )
    .slice(0, options.limit)
    .map((passage) => ({
      documentId: index.documentIds[index.documentOf[passage]!]!,
      passageNo: index.passageNos[passage]!,
      score: scores[passage]!,
    }));
};
