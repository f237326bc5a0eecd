import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../schemas/errors.ts';
import { type EventMetadata, makeEvent, type SalesEvent } from '../../schemas/events/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import type { Position } from '../../write/event-store/port.ts';
import { deterministicId } from '../../write/ids.ts';
import { knowledgeContentHash } from '../../write/knowledge/content-hash.ts';
import type { KnowledgeTable } from './ddl.ts';
import { indexBuild } from './lexical-index.ts';
import { knowledgeProjection } from './projection.ts';
import { searchKnowledge } from './search.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();
const metadata = (key: string, now: string): EventMetadata => ({
  eventId: deterministicId('event', key),
  correlationId: 'corr',
  causationId: null,
  occurredAt: now,
  actor: { kind: 'ops', id: 'test' },
});

type Doc = { title: string; body: string; tags?: string[]; language?: 'ja' | 'en' };

const published = (documentId: string, documentVersion: number, doc: Doc, minute = documentVersion) =>
  makeEvent(
    'KnowledgeDocumentPublished',
    {
      documentId,
      documentVersion,
      title: doc.title,
      body: doc.body,
      tags: doc.tags ?? [],
      language: doc.language ?? 'ja',
      contentHash: knowledgeContentHash(doc.title, doc.body),
      sourcePath: `knowledge/${documentId}.md`,
      publishedAt: at(minute),
    },
    metadata(`${documentId}@${documentVersion}`, at(minute)),
  );

const retracted = (documentId: string, minute: number) =>
  makeEvent(
    'KnowledgeDocumentRetracted',
    { documentId, reason: 'outdated', retractedAt: at(minute) },
    metadata(`${documentId}-retracted@${minute}`, at(minute)),
  );

const price: Doc = {
  title: '価格反論「高い」への対応',
  tags: ['反論処理', '価格', 'price objection'],
  body: '## 「高い」の意味\nお客様に高いと言われたら、まず何と比べて高いのかを確認します。値引きはすぐに提示しません。',
};
const discount: Doc = {
  title: '値引き交渉と譲歩の原則',
  tags: ['値引き', '交渉', 'discount'],
  body: '値引きは最後の手段です。価格を下げる前に、交換条件を必ずつけます。',
};
const renewal: Doc = {
  title: 'Renewal and Upsell Playbook',
  tags: ['renewal', 'upsell', '契約更新'],
  language: 'en',
  body: 'Start renewal conversations four months before the contract ends. Review usage and results with the customer.',
};

describe('knowledge projection', () => {
  let db: TestDatabase;
  let projection: Awaited<ReturnType<typeof setupTestProjection<KnowledgeTable>>>;
  const apply = (events: readonly SalesEvent[], position?: Position) => projection.apply(events, position);

  /** Applies events one by one at their own positions 1, 2, 3, … as a subscription delivers them. */
  const deliver = async (events: readonly SalesEvent[]) => {
    for (const [i, event] of events.entries())
      await apply([event], { commit: BigInt(i + 1), prepare: BigInt(i + 1) });
  };
  const snapshot = async () => ({
    documents: (await db.pool.query('SELECT * FROM knowledge_documents ORDER BY document_id')).rows,
    terms: (await db.pool.query('SELECT * FROM knowledge_terms ORDER BY document_id, field, term')).rows,
  });
  const ids = async (query: string, options = {}) =>
    (await searchKnowledge(db.pool, query, options)).map((hit) => hit.documentId);

  beforeEach(async () => {
    db = await createTestDatabase();
    projection = await setupTestProjection(db, knowledgeProjection);
  });
  afterEach(() => db.drop());

  it('stores a published document with its postings', async () => {
    await deliver([published('objection-price', 1, price)]);
    const { rows } = await db.pool.query('SELECT * FROM knowledge_documents');
    expect(rows).toEqual([
      expect.objectContaining({
        document_id: 'objection-price',
        document_version: 1,
        title: price.title,
        tags: price.tags,
        language: 'ja',
        content_hash: knowledgeContentHash(price.title, price.body),
        source_path: 'knowledge/objection-price.md',
        published_at: new Date(at(1)),
        retracted_at: null,
        citation_count: 0,
      }),
    ]);
    const terms = await db.pool.query(
      `SELECT passage_no, field, term, tf FROM knowledge_terms WHERE term IN ('高い', '価格') ORDER BY field, term`,
    );
    expect(terms.rows).toEqual([
      { passage_no: 1, field: 'body', term: '高い', tf: 2 },
      { passage_no: 1, field: 'heading', term: '高い', tf: 1 },
      { passage_no: 1, field: 'tags', term: '価格', tf: 1 },
      { passage_no: 1, field: 'title', term: '価格', tf: 1 },
      { passage_no: 1, field: 'title', term: '高い', tf: 1 },
    ]);
  });

  it('leaves the same rows when the same events are applied again', async () => {
    const events = [
      published('objection-price', 1, price),
      published('negotiation-discount-policy', 1, discount),
      published('objection-price', 2, { ...price, body: `${price.body}\n比較対象を聞きます。` }, 3),
      retracted('negotiation-discount-policy', 4),
      published('renewal-upsell', 1, renewal, 5),
    ];
    await deliver(events);
    const once = await snapshot();
    await deliver(events);
    expect(await snapshot()).toEqual(once);
    expect(once.documents.map((d) => [d.document_id, d.document_version, d.retracted_at !== null])).toEqual([
      ['negotiation-discount-policy', 1, true],
      ['objection-price', 2, false],
      ['renewal-upsell', 1, false],
    ]);
  });

  it('never lets an older version overwrite a newer one', async () => {
    const v2 = { ...price, title: '価格反論への対応（改訂）', body: '改訂版：費用対効果で説明します。' };
    await deliver([published('objection-price', 2, v2, 2), published('objection-price', 1, price, 1)]);
    const { rows } = await db.pool.query('SELECT document_version, title FROM knowledge_documents');
    expect(rows).toEqual([{ document_version: 2, title: v2.title }]);
    expect(await ids('費用対効果')).toEqual(['objection-price']);
    expect(await ids('提示')).toEqual([]);
  });

  it('hides a retracted document from search, and shows it again when republished', async () => {
    await deliver([
      published('objection-price', 1, price),
      published('negotiation-discount-policy', 1, discount),
    ]);
    expect(await ids('値引き')).toEqual(['negotiation-discount-policy', 'objection-price']);

    await apply([retracted('negotiation-discount-policy', 5)], { commit: 3n, prepare: 3n });
    expect(await ids('値引き')).toEqual(['objection-price']);
    const { rows } = await db.pool.query(
      `SELECT retracted_at, (SELECT count(*)::int FROM knowledge_terms t WHERE t.document_id = d.document_id) AS terms
       FROM knowledge_documents d WHERE document_id = 'negotiation-discount-policy'`,
    );
    expect(rows).toEqual([{ retracted_at: new Date(at(5)), terms: 0 }]);

    await apply([published('negotiation-discount-policy', 2, discount, 6)], { commit: 4n, prepare: 4n });
    expect(await ids('値引き')).toEqual(['negotiation-discount-policy', 'objection-price']);
  });

  it('keeps the citation count across a new version', async () => {
    await deliver([published('objection-price', 1, price)]);
    await db.pool.query(`UPDATE ${projection.tables.knowledge_documents} SET citation_count = 3`);
    await apply([published('objection-price', 2, { ...price, body: '改訂' }, 2)], {
      commit: 2n,
      prepare: 2n,
    });
    const { rows } = await db.pool.query('SELECT document_version, citation_count FROM knowledge_documents');
    expect(rows).toEqual([{ document_version: 2, citation_count: 3 }]);
  });

  it('ranks a title match above a passing mention, in Japanese and English', async () => {
    await deliver([
      published('objection-price', 1, price),
      published('negotiation-discount-policy', 1, discount),
      published('renewal-upsell', 1, renewal),
    ]);
    expect((await ids('値引き交渉'))[0]).toBe('negotiation-discount-policy');
    expect((await ids('価格が高いと言われた'))[0]).toBe('objection-price');
    expect(await ids('how to prepare a renewal')).toEqual(['renewal-upsell']);
    expect(await ids('契約更新の準備')).toEqual(['renewal-upsell']);
    expect(await ids('値引き', { language: 'en' })).toEqual([]);
    expect(await ids('値引き', { limit: 1 })).toHaveLength(1);
  });

  it('returns a snippet with the query terms marked', async () => {
    await deliver([published('objection-price', 1, price), published('renewal-upsell', 1, renewal)]);
    const [hit] = await searchKnowledge(db.pool, '高い', { limit: 1 });
    expect(hit).toMatchObject({
      documentId: 'objection-price',
      documentVersion: 1,
      title: price.title,
      tags: price.tags,
      language: 'ja',
    });
    expect(hit!.score).toBeGreaterThan(0);
    expect(hit!.snippet).toContain('高い');
    expect(hit!.snippet).not.toContain('##');
    expect(hit!.highlights.length).toBeGreaterThan(0);
    for (const { start, end } of hit!.highlights) expect(hit!.snippet.slice(start, end)).toBe('高い');

    const [english] = await searchKnowledge(db.pool, 'RENEWAL conversations');
    expect(english!.snippet).toMatch(/renewal conversations/);
  });

  it('points each hit at the passage that answers: section heading, PDF page or slide', async () => {
    const guide: Doc = {
      title: '営業ガイド',
      body: '# 営業ガイド\n\n## 初回訪問\n雑談から入ります。\n\n## 価格の伝え方\n値引きは最後の手段です。\n\n### 例\n交換条件をつけます。',
    };
    const sheet = {
      title: 'Product sheet',
      language: 'en' as const,
      body: 'Overview of the product\fSingle sign-on with SAML\fPrice per seat',
    };
    const deck = {
      title: 'Deck',
      language: 'en' as const,
      body: '## Why us\nFast onboarding\f## Security\nSAML and audit logs',
    };
    await deliver([
      published('guide', 1, guide),
      makeEvent(
        'KnowledgeDocumentPublished',
        { ...(published('sheet', 1, sheet) as { data: object }).data, format: 'pdf' } as never,
        metadata('sheet', at(2)),
      ),
      makeEvent(
        'KnowledgeDocumentPublished',
        { ...(published('deck', 1, deck) as { data: object }).data, format: 'pptx' } as never,
        metadata('deck', at(3)),
      ),
    ]);
    const passages = await db.pool.query(
      `SELECT document_id, passage_no, heading, page, slide FROM knowledge_passages ORDER BY document_id, passage_no`,
    );
    expect(passages.rows).toEqual([
      { document_id: 'deck', passage_no: 1, heading: 'Why us', page: null, slide: 1 },
      { document_id: 'deck', passage_no: 2, heading: 'Security', page: null, slide: 2 },
      { document_id: 'guide', passage_no: 1, heading: '初回訪問', page: null, slide: null },
      { document_id: 'guide', passage_no: 2, heading: '価格の伝え方', page: null, slide: null },
      { document_id: 'guide', passage_no: 3, heading: '例', page: null, slide: null },
      { document_id: 'sheet', passage_no: 1, heading: null, page: 1, slide: null },
      { document_id: 'sheet', passage_no: 2, heading: null, page: 2, slide: null },
      { document_id: 'sheet', passage_no: 3, heading: null, page: 3, slide: null },
    ]);
    const [discount] = await searchKnowledge(db.pool, '値引き', { limit: 1 });
    expect(discount!.section).toEqual({
      passageNo: 2,
      heading: '価格の伝え方',
      page: null,
      slide: null,
      label: '価格の伝え方',
    });
    expect(discount!.snippet).toContain('値引きは最後の手段です');
    const sso = await searchKnowledge(db.pool, 'SAML');
    expect(sso.map((h) => [h.documentId, h.section.label])).toEqual(
      expect.arrayContaining([
        ['sheet', 'p. 2'],
        ['deck', 'slide 2: Security'],
      ]),
    );
    expect(sso).toHaveLength(2);
  });

  it('finds a document in the other language, and by everyday words, through the glossary', async () => {
    await deliver([
      published('objection-price', 1, price),
      published('negotiation-discount-policy', 1, discount),
      published('renewal-upsell', 1, renewal),
    ]);
    expect(await ids('can you make it cheaper')).toContain('negotiation-discount-policy');
    expect((await ids('契約の継続'))[0]).toBe('renewal-upsell');
    const none = { glossary: { groups: [] } };
    expect(await searchKnowledge(db.pool, 'can you make it cheaper', {}, none)).toEqual([]);
  });

  it('answers from the previous index while a large base is re-indexed, never with a retracted document', async () => {
    const background = { backgroundIndexFrom: 0 };
    const search = async (q: string) =>
      (await searchKnowledge(db.pool, q, {}, background)).map((hit) => hit.documentId);
    await deliver([published('objection-price', 1, price)]);
    expect(await search('値引き交渉')).toEqual(['objection-price']);

    await apply([published('negotiation-discount-policy', 1, discount)], { commit: 2n, prepare: 2n });
    expect(await search('値引き交渉')).toEqual(['objection-price']);
    await indexBuild(db.pool);
    expect(await search('値引き交渉')).toEqual(['negotiation-discount-policy', 'objection-price']);

    await apply([retracted('objection-price', 9)], { commit: 3n, prepare: 3n });
    expect(await search('値引き交渉')).toEqual(['negotiation-discount-policy']);
    await indexBuild(db.pool);
    expect(await search('値引き交渉')).toEqual(['negotiation-discount-policy']);
  });

  it('refuses an empty query and finds nothing for particles alone', async () => {
    await deliver([published('objection-price', 1, price)]);
    for (const query of ['', '   ', '\n\t　']) {
      await expect(searchKnowledge(db.pool, query)).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION'));
    }
    await expect(searchKnowledge(db.pool, '高い', { limit: 0 })).rejects.toSatisfy((e) =>
      isAppError(e, 'VALIDATION'),
    );
    expect(await searchKnowledge(db.pool, 'のに the')).toEqual([]);
  });
});
