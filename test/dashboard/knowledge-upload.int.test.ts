import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import { makePptx } from '../knowledge/office-fixtures.ts';
import {
  analystSecret,
  browser,
  type DashboardHarness,
  opsSecret,
  startDashboardHarness,
} from './harness.ts';

const formOf = (csrf: string, file: File, fields: Record<string, string> = {}) => {
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set('file', file);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
};

describe('dashboard knowledge page: upload and retract (ops)', () => {
  let h: DashboardHarness;
  const documentRow = async (id: string) =>
    (
      await h.db.pool.query<{ retracted_at: Date | null }>(
        'SELECT retracted_at FROM knowledge_documents WHERE document_id = $1',
        [id],
      )
    ).rows[0];

  beforeAll(async () => {
    h = await startDashboardHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('lets an ops key publish a presentation from the page, then retract it from its page', async () => {
    const ops = browser(h.app);
    await ops.signIn(opsSecret);
    const page = await (await ops.get('/dashboard/knowledge')).text();
    expect(page).toContain('data-testid="upload"');
    expect(page).toContain('enctype="multipart/form-data"');

    const deck = await makePptx([
      { title: 'Onboarding plan', lines: ['Kick-off within two weeks'] },
      { title: 'Support', lines: ['Dedicated customer success manager'] },
    ]);
    const published = await ops.postForm(
      '/dashboard/knowledge/documents',
      formOf(ops.csrfOf(page), new File([deck], 'onboarding-deck.pptx'), { tags: 'onboarding, 導入' }),
    );
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe(
      '/dashboard/knowledge?published=onboarding-deck&result=published',
    );
    expect(await (await ops.get(published.headers.get('location')!)).text()).toContain(
      'onboarding-deck を公開しました',
    );

    // The read model, not the store's head: a head read while other writers' transactions are
    // open can lag behind an append that has committed.
    await waitFor(async () => (await documentRow('onboarding-deck')) !== undefined);
    const results = await (await ops.get('/dashboard/knowledge?q=customer+success')).text();
    expect(results).toContain('/dashboard/knowledge/onboarding-deck');
    expect(results).toContain('slide 2: Support');
    const { rows } = await h.db.pool.query(
      `SELECT type, metadata->'actor' AS actor FROM es_events WHERE stream_id = 'knowledge-onboarding-deck'`,
    );
    expect(rows).toEqual([
      { type: 'KnowledgeDocumentPublished', actor: { kind: 'ops', id: 'dashboard:ops' } },
    ]);

    const docPage = await (await ops.get('/dashboard/knowledge/onboarding-deck')).text();
    expect(docPage).toContain('data-testid="retract"');
    const retracted = await ops.post('/dashboard/knowledge/onboarding-deck/retract', {
      _csrf: ops.csrfOf(docPage),
      reason: '古い資料',
    });
    expect(retracted.status).toBe(303);
    await waitFor(async () => (await documentRow('onboarding-deck'))?.retracted_at != null);
    const after = await (await ops.get(retracted.headers.get('location')!)).text();
    expect(after).toContain('取り下げ済み：古い資料');
    expect(after).not.toContain('data-testid="retract"');
    expect(await (await ops.get('/dashboard/knowledge?q=customer+success')).text()).not.toContain(
      '/dashboard/knowledge/onboarding-deck',
    );
  });

  it('shows why a file cannot be published, and publishes nothing', async () => {
    const ops = browser(h.app);
    await ops.signIn(opsSecret);
    const csrf = ops.csrfOf(await (await ops.get('/dashboard/knowledge')).text());
    const before = (
      await h.db.pool.query("SELECT count(*)::int AS n FROM es_events WHERE type LIKE 'Knowledge%'")
    ).rows[0].n;
    const response = await ops.postForm(
      '/dashboard/knowledge/documents',
      formOf(csrf, new File(['not a pdf'], 'brochure.pdf')),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('brochure.pdf: cannot read this pdf file');
    const after = (
      await h.db.pool.query("SELECT count(*)::int AS n FROM es_events WHERE type LIKE 'Knowledge%'")
    ).rows[0].n;
    expect(after).toBe(before);
  });

  it('neither shows the forms to an analyst nor accepts their posts, nor a post without the CSRF token', async () => {
    const analyst = browser(h.app);
    await analyst.signIn(analystSecret);
    const page = await (await analyst.get('/dashboard/knowledge')).text();
    expect(page).not.toContain('data-testid="upload"');
    const doc = await (await analyst.get('/dashboard/knowledge/objection-price')).text();
    expect(doc).not.toContain('data-testid="retract"');
    const file = new File(['# T\nbody'], 'note.md');
    expect(
      (await analyst.postForm('/dashboard/knowledge/documents', formOf(analyst.csrfOf(page), file))).status,
    ).toBe(403);
    expect(
      (
        await analyst.post('/dashboard/knowledge/objection-price/retract', {
          _csrf: analyst.csrfOf(page),
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const ops = browser(h.app);
    await ops.signIn(opsSecret);
    expect((await ops.postForm('/dashboard/knowledge/documents', formOf('forged', file))).status).toBe(403);
  });
});
