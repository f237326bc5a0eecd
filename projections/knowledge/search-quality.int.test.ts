import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import { corpusEvents, labelledQueriesPath } from '../../test/knowledge/corpus.ts';
import { evaluateSearch, LabelledQueries } from './evaluate.ts';
import { knowledgeProjection } from './projection.ts';

describe('knowledge search quality on the labelled queries', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { apply } = await setupTestProjection(db, knowledgeProjection);
    await apply(await corpusEvents());
  });
  afterAll(() => db.drop());

  it('finds a relevant document in the top 5 for at least 90% of the queries', async () => {
    const { queries } = LabelledQueries.parse(JSON.parse(await readFile(labelledQueriesPath, 'utf8')));
    const result = await evaluateSearch(db.pool, queries, 5);
    console.log(
      `knowledge search: ${result.queries} queries, recall@${result.k} ${result.recallAtK}, ` +
        `mean recall@${result.k} ${result.meanRecallAtK}, MRR@${result.mrrDepth} ${result.mrr}`,
    );
    for (const miss of result.misses) {
      console.log(`  miss: ${miss.q} — wanted ${miss.relevant.join(', ')}; got ${miss.found.join(', ')}`);
    }
    expect(result.queries).toBe(75);
    expect(result.recallAtK).toBeGreaterThanOrEqual(0.9);
  });
});
