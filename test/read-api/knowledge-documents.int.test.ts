import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDocx, makePdf } from '../knowledge/office-fixtures.ts';
import { analystKey, opsKey, type ReadApiHarness, startReadApi } from './harness.ts';

const upload = (
  api: ReadApiHarness,
  file: { name: string; bytes: Uint8Array },
  fields: Record<string, string> = {},
  key: string | null = opsKey,
) => {
  const form = new FormData();
  form.set('file', new File([file.bytes], file.name));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return Promise.resolve(
    api.app.request('/api/v1/knowledge/documents', {
      method: 'POST',
      body: form,
      headers: key ? { Authorization: `Bearer ${key}` } : {},
    }),
  );
};

const retract = (api: ReadApiHarness, id: string, query = '', key = opsKey) =>
  Promise.resolve(
    api.app.request(`/api/v1/knowledge/documents/${id}${query}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${key}` },
    }),
  );

describe('knowledge documents over the API (publish and retract, ops)', () => {
  let db: TestDatabase;
  let api: ReadApiHarness;
  const events = async () =>
    (
      await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM es_events WHERE type LIKE 'Knowledge%'",
      )
    ).rows[0]!.n;
  const search = async (q: string) => {
    await api.caughtUp();
    const body = (await (await api.get(`/api/v1/knowledge/search?q=${encodeURIComponent(q)}`)).json()) as {
      results: { documentId: string; section: { label: string | null } }[];
    };
    return body.results.map((r) => [r.documentId, r.section.label]);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startReadApi(db);
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('needs an ops key', async () => {
    const pdf = { name: 'sheet.pdf', bytes: await makePdf(['x']) };
    expect((await upload(api, pdf, {}, null)).status).toBe(401);
    expect((await upload(api, pdf, {}, analystKey)).status).toBe(403);
    expect((await retract(api, 'sheet', '', analystKey)).status).toBe(403);
    expect(await events()).toBe(0);
  });

  it('publishes an uploaded PDF that search then finds by page, once for the same content', async () => {
    const pdf = {
      name: 'Security Sheet.pdf',
      bytes: await makePdf(['Overview', 'Single sign-on with SAML']),
    };
    const first = await upload(api, pdf, { tags: 'security, SSO' });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      documentId: 'security-sheet',
      version: 1,
      status: 'published',
      title: 'Security Sheet',
      language: 'en',
      format: 'pdf',
      tags: ['security', 'SSO'],
    });
    expect(await search('SAML')).toEqual([['security-sheet', 'p. 2']]);

    const again = await upload(api, pdf, { tags: 'security, SSO' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ version: 1, status: 'unchanged' });
    expect(await events()).toBe(1);
  });

  it('publishes a Word file as a new version of a chosen document, with a title of its own', async () => {
    const docx = await makeDocx([{ heading: '料金', paragraphs: ['月額は1ユーザー3,000円です。'] }]);
    const response = await upload(
      api,
      { name: 'pricing.docx', bytes: docx },
      { documentId: 'security-sheet', title: '料金とセキュリティ' },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      version: 2,
      status: 'updated',
      language: 'ja',
      format: 'docx',
    });
    expect(await search('月額')).toEqual([['security-sheet', '料金']]);
  });

  it('refuses what it cannot publish with a clear 400 and appends nothing', async () => {
    const before = await events();
    const cases: [Promise<Response>, RegExp][] = [
      [
        upload(api, { name: 'scan.pdf', bytes: new TextEncoder().encode('no pdf') }),
        /scan\.pdf: cannot read this pdf/,
      ],
      [upload(api, { name: 'sheet.xlsx', bytes: new Uint8Array([1]) }), /sheet\.xlsx: unsupported file type/],
      [
        upload(api, { name: 'a.md', bytes: new TextEncoder().encode('# A\nbody') }, { documentId: 'Bad Id' }),
        /documentId/,
      ],
      [
        Promise.resolve(
          api.app.request('/api/v1/knowledge/documents', {
            method: 'POST',
            body: '{}',
            headers: { Authorization: `Bearer ${opsKey}`, 'Content-Type': 'application/json' },
          }),
        ),
        /multipart/,
      ],
    ];
    for (const [request, message] of cases) {
      const response = await request;
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toMatch(message);
    }
    expect(await events()).toBe(before);
  });

  it('accepts files above the usual 1 MB API limit and refuses those above 20 MB with 413', async () => {
    const padding = 'x'.repeat(1024 * 1024 + 10);
    const large = await upload(api, {
      name: 'large-notes.txt',
      bytes: new TextEncoder().encode(`notes ${padding}`),
    });
    expect(large.status).toBe(201);
    const huge = await upload(api, { name: 'huge.pdf', bytes: new Uint8Array(21 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('retracts a document once; search stops finding it; an unknown id is 404', async () => {
    const response = await retract(api, 'security-sheet', '?reason=outdated');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ documentId: 'security-sheet', status: 'retracted' });
    expect(await search('月額')).toEqual([]);
    expect(await (await retract(api, 'security-sheet')).json()).toEqual({
      documentId: 'security-sheet',
      status: 'already retracted',
    });
    expect((await retract(api, 'never-published')).status).toBe(404);
    expect((await retract(api, 'Bad%20Id')).status).toBe(400);
    const { rows } = await db.pool.query(
      "SELECT data->>'reason' AS reason FROM es_events WHERE type = 'KnowledgeDocumentRetracted'",
    );
    expect(rows).toEqual([{ reason: 'outdated' }]);
  });

  it('describes both routes in the OpenAPI document, the upload as multipart', async () => {
    const doc = (await (await api.get('/api/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, unknown> }; 'x-required-scope'?: string }>
      >;
    };
    const post = doc.paths['/api/v1/knowledge/documents']?.post;
    expect(Object.keys(post?.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    expect(post?.['x-required-scope']).toBe('ops');
    expect(doc.paths['/api/v1/knowledge/documents/{id}']?.delete?.['x-required-scope']).toBe('ops');
  });
});
