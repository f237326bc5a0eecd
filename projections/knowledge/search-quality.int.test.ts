import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import { corpusEvents, heldOutQueriesPath, tuningQueriesPath } from '../../test/knowledge/corpus.ts';
import { evaluateSearch, LabelledQueries, type SearchEvaluation } from './evaluate.ts';
import { knowledgeProjection } from './projection.ts';

const report = (name: string, result: SearchEvaluation) => {
  console.log(
    `knowledge search (${name}): ${result.queries} queries, recall@${result.k} ${result.recallAtK}, ` +
      `mean recall@${result.k} ${result.meanRecallAtK}, MRR@${result.mrrDepth} ${result.mrr}`,
  );
  for (const miss of result.misses) {
    console.log(`  miss: ${miss.q} — wanted ${miss.relevant.join(', ')}; got ${miss.found.join(', ')}`);
  }
};

const load = async (file: string) => LabelledQueries.parse(JSON.parse(await readFile(file, 'utf8'))).queries;

describe('knowledge search quality on the labelled queries', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { apply } = await setupTestProjection(db, knowledgeProjection);
    await apply(await corpusEvents());
  });
  afterAll(() => db.drop());

  it('finds a relevant document in the top 5 for at least 90% of the tuning queries', async () => {
    const result = await evaluateSearch(db.pool, await load(tuningQueriesPath), 5);
    report('tuning', result);
    expect(result.queries).toBe(75);
    expect(result.recallAtK).toBeGreaterThanOrEqual(0.9);
  });

  it('finds a relevant document in the top 5 for at least 90% of the held-out queries', async () => {
    const result = await evaluateSearch(db.pool, await load(heldOutQueriesPath), 5);
    report('held-out', result);
    expect(result.queries).toBe(50);
    expect(result.recallAtK).toBeGreaterThanOrEqual(0.9);
  });
});
