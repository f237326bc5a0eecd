import { readFile } from 'node:fs/promises';
import { evaluateSearch, LabelledQueries, type SearchEvaluation } from '../projections/knowledge/evaluate.ts';
import { knowledgeProjection } from '../projections/knowledge/projection.ts';
import { searchKnowledge } from '../projections/knowledge/search.ts';
import type { ProjectionDefinition } from '../projections/projection.ts';
import { generationTables } from '../projections/projection.ts';
import type { SalesEvent } from '../schemas/events/index.ts';
import {
  heldOutQueriesPath,
  knowledgeDir,
  publishedEvents,
  tuningQueriesPath,
} from '../test/knowledge/corpus.ts';
import { readKnowledgeDirectory } from '../write/knowledge/read-file.ts';
import { semanticFigures } from './knowledge/semantic.ts';
import { searchInSql } from './knowledge/sql-bm25.ts';
import { syntheticCorpus } from './knowledge/synthetic-corpus.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Figure, Suite } from './lib/report.ts';

const targetPassages = 10_000;

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const timings = async (
  rounds: number,
  queries: readonly string[],
  run: (q: string, i: number) => Promise<unknown>,
) => {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, q] of queries.entries()) {
      const started = performance.now();
      await run(q, i);
      samples.push(performance.now() - started);
    }
  }
  return samples.sort((a, b) => a - b);
};

const qualityFigures = (name: string, e: SearchEvaluation, target?: string): Figure[] => [
  {
    name: `${name}: recall@5 (${e.queries} queries)`,
    value: e.recallAtK,
    unit: '',
    ...(target ? { target, met: e.recallAtK >= 0.9 } : {}),
  },
  { name: `${name}: mean recall@5 (all relevant documents)`, value: e.meanRecallAtK, unit: '' },
  { name: `${name}: MRR@${e.mrrDepth}`, value: e.mrr, unit: '' },
];

/**
 * Search quality on the starter knowledge base for the tuning set and the held-out set (written
 * from a rep's side before tuning), then search latency over 10,000 passages beside a
 * primary-key lookup of one passage in the same run.
 */
export const knowledgeBench = async (): Promise<Suite> => {
  const db = await openBenchDatabase(5);
  try {
    const definition = knowledgeProjection as ProjectionDefinition;
    const tables = generationTables(definition, 1);
    await db.pool.query(definition.ddl(tables));
    for (const logical of definition.tables)
      await db.pool.query(`CREATE VIEW ${logical} AS SELECT * FROM ${tables[logical]}`);
    let prepare = 0n;
    const apply = async (events: readonly SalesEvent[]) => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        for (const event of events) {
          prepare += 1n;
          await definition.apply(event, { client, tables, position: { commit: 1n, prepare } });
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const { sources } = await readKnowledgeDirectory(knowledgeDir);
    await apply(publishedEvents(sources));
    const load = async (file: string) =>
      LabelledQueries.parse(JSON.parse(await readFile(file, 'utf8'))).queries;
    const tuning = await load(tuningQueriesPath);
    const heldOut = await load(heldOutQueriesPath);
    const tuningQuality = await evaluateSearch(db.pool, tuning, 5);
    const heldOutQuality = await evaluateSearch(db.pool, heldOut, 5);

    const starterPassages = (
      await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM knowledge_passages')
    ).rows[0]!.n;
    await apply(syntheticCorpus(sources, targetPassages - starterPassages));
    await db.pool.query('ANALYZE');
    const { rows } = await db.pool.query<{ passages: number; documents: number; postings: number }>(
      `SELECT (SELECT count(*)::int FROM knowledge_passages) AS passages,
        (SELECT count(*)::int FROM knowledge_documents) AS documents,
        (SELECT count(*)::int FROM knowledge_terms) AS postings`,
    );
    const size = rows[0]!;
    const queries = [...tuning, ...heldOut].map((q) => q.q);
    const ids = (
      await db.pool.query<{ document_id: string }>('SELECT document_id FROM knowledge_passages')
    ).rows.map((r) => r.document_id);
    // The first search builds the in-process index: timed once, on its own.
    const build = await timings(1, [queries[0]!], (q) => searchKnowledge(db.pool, q, { limit: 5 }));
    await timings(1, queries, (q) => searchKnowledge(db.pool, q, { limit: 5 }));
    const search = await timings(5, queries, (q) => searchKnowledge(db.pool, q, { limit: 5 }));
    const lookup = await timings(5, queries, (_q, i) =>
      db.pool.query('SELECT * FROM knowledge_passages WHERE document_id = $1 AND passage_no = 1', [
        ids[(i * 7919) % ids.length],
      ]),
    );
    const sql = await timings(1, queries, (q) => searchInSql(db.pool, q, 5));
    const searchP50 = quantile(search, 0.5);
    const semantic = await semanticFigures(db.pool, queries);
    const lookupP50 = quantile(lookup, 0.5);
    return {
      suite: 'knowledge search',
      environment: {
        database: db.source,
        starterDocuments: sources.length,
        tuningQueries: tuning.length,
        heldOutQueries: heldOut.length,
        passages: size.passages,
        documents: size.documents,
        postings: size.postings,
      },
      figures: [
        ...qualityFigures('tuning set', tuningQuality),
        ...qualityFigures('held-out set', heldOutQuality, '≥ 0.9'),
        { name: `passage lookup by key, p50 (baseline)`, value: lookupP50, unit: 'ms' },
        {
          name: `search p50 at ${size.passages.toLocaleString('en-US')} passages`,
          value: searchP50,
          unit: 'ms',
          baseline: { name: 'lookup by key', value: lookupP50 },
          ratio: searchP50 / lookupP50,
          target: '≤ 20 ms',
          met: searchP50 <= 20,
        },
        ...semantic,
        { name: 'first search after a change (index build)', value: build[0]!, unit: 'ms' },
        { name: 'search p95', value: quantile(search, 0.95), unit: 'ms' },
        {
          name: 'same ranking aggregated in SQL, p50',
          value: quantile(sql, 0.5),
          unit: 'ms',
          baseline: { name: 'in-process index', value: searchP50 },
          ratio: quantile(sql, 0.5) / searchP50,
        },
      ],
    };
  } finally {
    await db.drop();
  }
};
