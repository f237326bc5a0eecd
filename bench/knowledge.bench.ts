import { readFile } from 'node:fs/promises';
import { evaluateSearch, LabelledQueries } from '../projections/knowledge/evaluate.ts';
import { knowledgeProjection } from '../projections/knowledge/projection.ts';
import { searchKnowledge } from '../projections/knowledge/search.ts';
import type { ProjectionDefinition } from '../projections/projection.ts';
import { generationTables } from '../projections/projection.ts';
import { corpusEvents, tuningQueriesPath } from '../test/knowledge/corpus.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Suite } from './lib/report.ts';

/**
 * Search quality on the labelled set (recall@5, MRR) over the starter knowledge base, and search
 * latency beside a primary-key lookup of one document in the same run.
 */
export const knowledgeBench = async (): Promise<Suite> => {
  const db = await openBenchDatabase(5);
  try {
    const definition = knowledgeProjection as ProjectionDefinition;
    const tables = generationTables(definition, 1);
    await db.pool.query(definition.ddl(tables));
    for (const logical of definition.tables)
      await db.pool.query(`CREATE VIEW ${logical} AS SELECT * FROM ${tables[logical]}`);
    const client = await db.pool.connect();
    try {
      let prepare = 0n;
      for (const event of await corpusEvents()) {
        prepare += 1n;
        await definition.apply(event, { client, tables, position: { commit: 1n, prepare } });
      }
    } finally {
      client.release();
    }
    const { queries } = LabelledQueries.parse(JSON.parse(await readFile(tuningQueriesPath, 'utf8')));
    const evaluation = await evaluateSearch(db.pool, queries, 5);

    const rounds = 20;
    let started = performance.now();
    for (let r = 0; r < rounds; r++)
      for (const q of queries) await searchKnowledge(db.pool, q.q, { limit: 5 });
    const searchMs = (performance.now() - started) / (rounds * queries.length);
    started = performance.now();
    for (let r = 0; r < rounds; r++) {
      for (const q of queries)
        await db.pool.query('SELECT * FROM knowledge_documents WHERE document_id = $1', [q.relevant[0]]);
    }
    const lookupMs = (performance.now() - started) / (rounds * queries.length);
    return {
      suite: 'knowledge search',
      environment: { database: db.source, documents: 29, labelledQueries: queries.length },
      figures: [
        {
          name: 'recall@5',
          value: evaluation.recallAtK,
          unit: '',
          target: '≥ 0.9',
          met: evaluation.recallAtK >= 0.9,
        },
        { name: 'mean recall@5 (all relevant documents)', value: evaluation.meanRecallAtK, unit: '' },
        { name: `MRR@${evaluation.mrrDepth}`, value: evaluation.mrr, unit: '' },
        { name: 'document lookup by id (baseline)', value: lookupMs, unit: 'ms' },
        {
          name: 'search, mean latency',
          value: searchMs,
          unit: 'ms',
          baseline: { name: 'lookup by id', value: lookupMs },
          ratio: searchMs / lookupMs,
        },
      ],
    };
  } finally {
    await db.drop();
  }
};
