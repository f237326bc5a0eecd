import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiEmbedder } from '../../ops/runtime/embeddings.ts';
import { embedPendingPassages } from '../../projections/knowledge/embeddings.ts';
import { knowledgeProjection } from '../../projections/knowledge/projection.ts';
import { searchKnowledge } from '../../projections/knowledge/search.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { setupTestProjection } from '../helpers/projection.ts';
import { type EmbeddingsStub, startEmbeddingsStub, stubDimensions } from '../stubs/openai-embeddings-stub.ts';
import { corpusEvents } from './corpus.ts';

describe('hybrid knowledge search: BM25F fused with OpenAI embeddings (real SDK, local stub)', () => {
  let db: TestDatabase;
  let stub: EmbeddingsStub;
  let apply: Awaited<ReturnType<typeof setupTestProjection>>['apply'];
  const embedder = () =>
    createOpenAiEmbedder({ apiKey: 'sk-test', baseURL: `${stub.url}/v1`, model: 'stub-embedding-1' });
  const noGlossary = { glossary: { groups: [] } };
  const ids = async (q: string, tuning = {}) =>
    (await searchKnowledge(db.pool, q, { limit: 5 }, { ...noGlossary, ...tuning })).map((h) => h.documentId);

  beforeAll(async () => {
    db = await createTestDatabase();
    stub = await startEmbeddingsStub();
    ({ apply } = await setupTestProjection(db, knowledgeProjection));
    await apply(await corpusEvents());
  });
  afterAll(async () => {
    await stub.close();
    await db.drop();
  });

  it('embeds every live passage once, storing the vectors in Postgres', async () => {
    const passages = (
      await db.pool.query<{ n: number }>(
        'SELECT count(DISTINCT embedding_key)::int AS n FROM knowledge_passages',
      )
    ).rows[0]!.n;
    expect(await embedPendingPassages(db.pool, embedder(), 50)).toBe(passages);
    expect(await embedPendingPassages(db.pool, embedder(), 50)).toBe(0);
    const { rows } = await db.pool.query<{ n: number; dims: number }>(
      `SELECT count(*)::int AS n, min(array_length(vector, 1))::int AS dims FROM knowledge_embeddings WHERE model = 'stub-embedding-1'`,
    );
    expect(rows[0]).toEqual({ n: passages, dims: stubDimensions });
    expect(stub.requests[0]).toMatchObject({ model: 'stub-embedding-1', encoding_format: 'base64' });
    expect((stub.requests[0]!.input as string[]).length).toBe(50);
  });

  it('finds by meaning what shares no word with the query, and keeps what BM25F finds', async () => {
    // "pricey" is in no document and (here) in no glossary: lexical search finds nothing.
    expect(await ids('is it too pricey', { embedder: null })).toEqual([]);
    const hybrid = await ids('is it too pricey', { embedder: embedder() });
    expect(hybrid.length).toBeGreaterThan(0);
    expect(['objection-price', 'negotiation-discount-policy', 'roi-presentation']).toContain(hybrid[0]);
    expect((await ids('契約更新のタイミング', { embedder: embedder() }))[0]).toBe('renewal-upsell');
    // One provider call for the query, remembered for the next search.
    const calls = stub.requests.length;
    await ids('is it too pricey', { embedder: embedder() });
    expect(stub.requests.length).toBe(calls);
  });

  it('embeds a changed passage after a new version is published', async () => {
    const before = await embedPendingPassages(db.pool, embedder());
    expect(before).toBe(0);
    const events = await corpusEvents();
    const price = events.find(
      (e) => e.type === 'KnowledgeDocumentPublished' && e.data.documentId === 'objection-price',
    )!;
    const v2 = {
      ...price,
      data: {
        ...price.data,
        documentVersion: 2,
        body: `${(price.data as { body: string }).body}\n\n## 追記\n予算の話を先に。`,
      },
    };
    await apply([v2 as typeof price], { commit: 10_000n, prepare: 10_000n });
    expect(await embedPendingPassages(db.pool, embedder())).toBe(1);
  });
});
