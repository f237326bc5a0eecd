import type pg from 'pg';
import { z } from 'zod';
import { searchKnowledge } from './search.ts';

export const LabelledQueries = z.object({
  about: z.string().optional(),
  queries: z.array(z.object({ q: z.string().min(1), relevant: z.array(z.string()).min(1) })),
});
export type LabelledQuery = z.infer<typeof LabelledQueries>['queries'][number];

export type SearchMiss = { q: string; relevant: string[]; found: string[] };

export type SearchEvaluation = {
  k: number;
  queries: number;
  /** Share of queries with at least one relevant document in the top k. */
  recallAtK: number;
  /** Stricter: the mean share of each query's relevant documents found in the top k. */
  meanRecallAtK: number;
  /** Mean reciprocal rank of the first relevant document within the top `mrrDepth` (else 0). */
  mrr: number;
  mrrDepth: number;
  /** Queries with no relevant document in the top k, with what came instead. */
  misses: SearchMiss[];
};

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Runs labelled queries against the live knowledge read model and scores the ranking. */
export const evaluateSearch = async (
  db: pg.Pool | pg.ClientBase,
  queries: readonly LabelledQuery[],
  k = 5,
): Promise<SearchEvaluation> => {
  const mrrDepth = Math.max(k, 10);
  let hits = 0;
  let recallSum = 0;
  let reciprocalSum = 0;
  const misses: SearchMiss[] = [];
  for (const { q, relevant } of queries) {
    const ranked = (await searchKnowledge(db, q, { limit: mrrDepth })).map((hit) => hit.documentId);
    const top = ranked.slice(0, k);
    const found = relevant.filter((id) => top.includes(id)).length;
    if (found > 0) hits += 1;
    else misses.push({ q, relevant, found: top });
    recallSum += found / relevant.length;
    const first = ranked.findIndex((id) => relevant.includes(id));
    reciprocalSum += first === -1 ? 0 : 1 / (first + 1);
  }
  const n = queries.length;
  return {
    k,
    queries: n,
    recallAtK: n === 0 ? 0 : round(hits / n),
    meanRecallAtK: n === 0 ? 0 : round(recallSum / n),
    mrr: n === 0 ? 0 : round(reciprocalSum / n),
    mrrDepth,
    misses,
  };
};
