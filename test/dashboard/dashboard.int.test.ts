import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../dashboard/time.ts';
import { plannedSessions, withTranscript } from '../../ops/rescore/sessions.ts';
import { createApiKey, revokeApiKey } from '../../read-api/auth/store.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { spinRubric } from '../../schemas/rubrics.ts';
import { createMockLlm } from '../../write/agent/llm/mock.ts';
import { noMetrics } from '../../write/agent/ports.ts';
import { rescoreSession } from '../../write/agent/rescore.ts';
import {
  analystSecret,
  browser,
  type DashboardHarness,
  opsSecret,
  reviewerSecret,
  startDashboardHarness,
} from './harness.ts';
import { recordHostileSession } from './hostile.ts';

describe('dashboard over real Postgres (demo data through the event store, real projections)', () => {
  let h: DashboardHarness;
  let hostileSession = '';

  beforeAll(async () => {
    h = await startDashboardHarness();
    hostileSession = await recordHostileSession(h.store, h.codec);
    await h.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
  });

  it('sends a visitor without a session to the sign-in page, and serves no data', async () => {
    const b = browser(h.app);
    for (const path of [
      '/dashboard',
      '/dashboard/reps/U0DEMO001',
      '/dashboard/knowledge',
      '/dashboard/projections',
    ]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/dashboard/sign-in?next=${encodeURIComponent(path)}`);
    }
    const json = await b.get('/dashboard/projections/status', { Accept: 'application/json' });
    expect(json.status).toBe(401);
    const slash = await b.get('/dashboard/');
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/dashboard');
  });

  it('signs in with an API_KEYS key: a signed HttpOnly SameSite=Strict cookie without the key in it', async () => {
    const b = browser(h.app);
    const page = await b.get('/dashboard/sign-in');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="apiKey"');
    expect(html).toContain('<html lang="ja">');

    const res = await b.post('/dashboard/sign-in', {
      _csrf: b.csrfOf(html),
      next: '/dashboard',
      apiKey: analystSecret,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('salesai_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).toMatch(/Max-Age=28800/);
    expect(cookie).not.toContain(analystSecret);
    const payload = Buffer.from(b.jar.get('salesai_session')!.split('.')[0]!, 'base64url').toString();
    expect(payload).not.toContain(analystSecret);
    expect(JSON.parse(payload)).toMatchObject({ name: 'analyst', scope: 'analyst', src: 'environment' });
  });

  it('refuses a wrong key (401), a form without its CSRF token and a cross-site post (403)', async () => {
    const b = browser(h.app);
    const html = await (await b.get('/dashboard/sign-in')).text();
    const wrong = await b.post('/dashboard/sign-in', { _csrf: b.csrfOf(html), apiKey: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('この API キーは使えません');
    expect(b.jar.has('salesai_session')).toBe(false);

    const html2 = await (await b.get('/dashboard/sign-in')).text();
    expect((await b.post('/dashboard/sign-in', { _csrf: 'forged', apiKey: analystSecret })).status).toBe(403);
    const crossSite = await b.post(
      '/dashboard/sign-in',
      { _csrf: b.csrfOf(html2), apiKey: analystSecret },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(b.jar.has('salesai_session')).toBe(false);
  });

  it('shows the team overview: reps, weekly sessions, skill averages, who improved, who needs help', async () => {
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const res = await b.get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    for (const rep of ['U0DEMO001', 'U0DEMO002', 'U0DEMO003', 'U0DEMO004', 'U0DEMO005', 'U0DEMO006']) {
      expect(html).toContain(`/dashboard/reps/${rep}`);
    }
    expect(html).toContain('data-chart="bar"');
    expect(html).toContain('data-chart="radar"');
    const improved = /data-testid="improved-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
    const help = /data-testid="needs-help-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
    // The demo's fast improver leads; the struggling rep needs help.
    expect(improved.indexOf('U0DEMO001')).toBeGreaterThanOrEqual(0);
    expect(improved).not.toContain('U0DEMO003');
    expect(help).toContain('U0DEMO004');
    expect(html).toContain('src="/dashboard/assets/chart.umd.min.js?v=');
  });

  it("shows a rep's growth, and the profile as of an earlier day from the insight log", async () => {
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const now = await (await b.get('/dashboard/reps/U0DEMO001')).text();
    const sessionsNow = Number(/data-testid="profile-sessions">(\d+)</.exec(now)?.[1]);
    expect(sessionsNow).toBeGreaterThan(10);
    expect(now).toContain('data-chart="growth"');
    const growth = JSON.parse(/id="growth-data">([^<]*)</.exec(now)![1]!) as {
      datasets: { data: unknown[] }[];
    };
    expect(growth.datasets).toHaveLength(5);

    const earlier = await (await b.get(`/dashboard/reps/U0DEMO001?asOf=${addDays(h.demo.from, 14)}`)).text();
    expect(earlier).toContain('時点のプロフィール');
    const sessionsThen = Number(/data-testid="profile-sessions">(\d+)</.exec(earlier)?.[1]);
    expect(sessionsThen).toBeLessThan(sessionsNow);

    const before = await (await b.get('/dashboard/reps/U0DEMO001?asOf=2001-01-01')).text();
    expect(before).toContain('data-testid="profile-empty"');
    expect((await b.get('/dashboard/reps/U0DEMO001?asOf=yesterday')).status).toBe(400);
    expect((await b.get('/dashboard/reps/UNOBODY')).status).toBe(404);
  });

  it('renders what reps and the coach wrote as inert text (no markup from a message gets through)', async () => {
    // At rest the text is sealed; the page opens it only to escape it.
    const { rows } = await h.db.pool.query<{ text: string }>(
      'SELECT text FROM dialogue_messages WHERE session_id = $1 ORDER BY seq',
      [hostileSession],
    );
    expect(rows[0]!.text).toMatch(/^enc:v1:/);
    const b = browser(h.app);
    await b.signIn(reviewerSecret);
    const res = await b.get(`/dashboard/sessions/${hostileSession}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(
      '&lt;script&gt;window.__xss = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__xss = 2&quot;&gt;',
    );
    expect(html).not.toContain('<script>window.__xss');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('</title><script>');
    // The only scripts are our own files (and JSON data blocks).
    for (const tag of html.match(/<script[^>]*>/g) ?? [])
      expect(tag).toMatch(/src="\/dashboard\/assets\/|type="application\/json"/);
  });

  it('shows a session: transcript, its insights and the documents it cited (reviewer and ops keys; analysts get 403)', async () => {
    const b = browser(h.app);
    await b.signIn(reviewerSecret);
    const rep = await (await b.get('/dashboard/reps/U0DEMO002')).text();
    const link = /href="(\/dashboard\/sessions\/[0-9a-f-]{36})"/.exec(rep)![1]!;
    // Analysts get no links to transcripts, and no transcript when they follow one anyway.
    const analyst = browser(h.app);
    await analyst.signIn(analystSecret);
    const analystRep = await (await analyst.get('/dashboard/reps/U0DEMO002')).text();
    expect(analystRep).toContain('data-testid="sessions-table"');
    expect(analystRep).not.toMatch(/href="\/dashboard\/sessions\//);
    expect(analystRep).toContain('"sessionUrl":null');
    const refused = await analyst.get(link);
    expect(refused.status).toBe(403);
    const refusal = await refused.text();
    expect(refusal).toContain('reviewer');
    expect(refusal).not.toContain('data-testid="message-user"');
    const ops = browser(h.app);
    await ops.signIn(opsSecret);
    expect((await ops.get(link)).status).toBe(200);
    const html = await (await b.get(link)).text();
    expect(html).toContain('data-testid="message-user"');
    expect(html).toContain('data-testid="message-assistant"');
    expect(html).toContain('data-testid="insight"');
    expect(html).toMatch(/href="\/dashboard\/knowledge\/[a-z-]+" data-testid="cited-document"/);
  });

  it('searches the knowledge base in Japanese and English, with citation counts computed from the replies', async () => {
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const ja = await (await b.get(`/dashboard/knowledge?q=${encodeURIComponent('価格 反論')}`)).text();
    expect(ja).toContain('/dashboard/knowledge/objection-price');
    expect(ja).toContain('<mark>');
    const citedPrice = Number(/objection-price[\s\S]*?data-testid="result-citations">(\d+)</.exec(ja)?.[1]);
    expect(citedPrice).toBeGreaterThan(0);
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dialogue_messages WHERE citations @> '[{"documentId":"objection-price"}]'`,
    );
    expect(citedPrice).toBe(rows[0]!.n);

    const en = await (await b.get('/dashboard/knowledge?q=champion+leaves&language=en')).text();
    expect(en).toContain('/dashboard/knowledge/champion-leaving');

    const doc = await (await b.get('/dashboard/knowledge/objection-price')).text();
    expect(doc).toContain('価格反論「高い」への対応');
    expect(doc).toContain(`data-testid="document-citations">${citedPrice}<`);
    expect(doc).toContain('<h2>');
    const all = await (await b.get('/dashboard/knowledge')).text();
    expect(all).toContain('data-testid="documents-table"');
    expect((await b.get('/dashboard/knowledge/no-such-doc')).status).toBe(404);
  });

  it('keeps the projections page to ops keys; a CSRF-protected rebuild request is recorded', async () => {
    const analyst = browser(h.app);
    await analyst.signIn(analystSecret);
    const denied = await analyst.get('/dashboard/projections');
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('ops スコープ');
    expect(await (await analyst.get('/dashboard')).text()).not.toContain('href="/dashboard/projections"');

    const ops = browser(h.app);
    await ops.signIn(opsSecret);
    const page = await ops.get('/dashboard/projections');
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const name of ['dialogue', 'insights', 'growth', 'knowledge'])
      expect(html).toContain(`data-projection="${name}"`);

    expect((await ops.post('/dashboard/projections/growth/rebuild', { _csrf: 'bad' })).status).toBe(403);
    const analystCsrf = analyst.csrfOf(await (await analyst.get('/dashboard')).text());
    expect((await analyst.post('/dashboard/projections/growth/rebuild', { _csrf: analystCsrf })).status).toBe(
      403,
    );
    const requested = await ops.post('/dashboard/projections/growth/rebuild', { _csrf: ops.csrfOf(html) });
    expect(requested.status).toBe(303);
    expect(requested.headers.get('location')).toBe('/dashboard/projections?requested=growth');
    const { rows } = await h.db.pool.query<{ requested_by: string }>(
      `SELECT requested_by FROM projection_rebuild_requests WHERE name = 'growth'`,
    );
    expect(rows.map((r) => r.requested_by)).toContain('dashboard:ops');
    const status = await ops.get('/dashboard/projections/status', { Accept: 'application/json' });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      projections: expect.any(Array),
      rowsHtml: expect.any(String),
    });
  });

  it('signs out (POST with the CSRF token), after which nothing is shown', async () => {
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const html = await (await b.get('/dashboard')).text();
    expect((await b.post('/dashboard/sign-out', { _csrf: 'forged' })).status).toBe(403);
    const out = await b.post('/dashboard/sign-out', { _csrf: b.csrfOf(html) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/dashboard/sign-in?signed-out=1');
    expect(b.jar.has('salesai_session')).toBe(false);
    expect((await b.get('/dashboard')).status).toBe(303);
  });

  it('ends a session on the server at sign-out: a copy of its cookie no longer works, other sessions do', async () => {
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const other = browser(h.app);
    await other.signIn(analystSecret);
    const copy = b.jar.get('salesai_session')!;
    const html = await (await b.get('/dashboard')).text();
    expect((await b.post('/dashboard/sign-out', { _csrf: b.csrfOf(html) })).status).toBe(303);
    const replayed = browser(h.app);
    replayed.jar.set('salesai_session', copy);
    const res = await replayed.get('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/dashboard/sign-in');
    // Ended one by one: the same key's other session still works.
    expect((await other.get('/dashboard')).status).toBe(200);
    const sid = (JSON.parse(Buffer.from(copy.split('.')[0]!, 'base64url').toString()) as { sid: string }).sid;
    const ended = await h.db.pool.query('SELECT 1 FROM dashboard_ended_sessions WHERE session_id = $1', [
      sid,
    ]);
    expect(ended.rowCount).toBe(1);
  });

  it('ends sessions when they expire and when their CLI key is revoked', async () => {
    const created = await createApiKey(h.db.pool, h.pepper, { name: 'dash-test', scope: 'analyst' });
    const b = browser(h.app);
    expect((await b.signIn(created.key)).status).toBe(303);
    expect((await b.get('/dashboard')).status).toBe(200);
    await revokeApiKey(h.db.pool, 'dash-test');
    h.advance(31_000);
    const after = await b.get('/dashboard');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('ended=1');

    const c = browser(h.app);
    await c.signIn(analystSecret);
    h.advance(8 * 3600_000 + 1000);
    expect((await c.get('/dashboard')).status).toBe(303);
  });

  it('speaks English with ?lang=en and remembers it', async () => {
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const en = await (await b.get('/dashboard?lang=en')).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Team overview');
    expect(await (await b.get('/dashboard/knowledge')).text()).toContain('<html lang="en">');
    expect(await (await b.get('/dashboard/knowledge?lang=ja')).text()).toContain('<html lang="ja">');
  });

  it('answers odd input with a page, never a server error', async () => {
    const b = browser(h.app);
    await b.signIn(opsSecret);
    const paths = [
      '/dashboard/reps/%00',
      '/dashboard/reps/U0DEMO001?asOf=0001-01-01',
      '/dashboard/reps/U0DEMO001?asOf=9999-12-31',
      '/dashboard/reps/U0DEMO001?asOf=2026-02-30',
      `/dashboard/reps/${'U'.repeat(500)}`,
      '/dashboard/sessions/not-a-uuid',
      '/dashboard/sessions/00000000-0000-4000-8000-000000000000',
      '/dashboard/knowledge?q=%',
      '/dashboard/knowledge?q=%E0%A4%A',
      `/dashboard/knowledge?q=${'価格'.repeat(3000)}`,
      '/dashboard/knowledge?q=の&language=fr',
      '/dashboard/knowledge/..%2f..%2fetc',
      '/dashboard/knowledge/%3Cscript%3E',
      '/dashboard/projections?requested=%3Cscript%3E',
      '/dashboard?lang=%3Cscript%3E',
      '/dashboard/nothing/here',
    ];
    for (const path of paths) {
      const res = await b.get(path);
      expect(res.status, path).toBeLessThan(500);
      const text = await res.text();
      expect(text, path).not.toContain('<script>alert');
      expect(text, path).not.toMatch(/<script>(?!window)/);
    }
    for (const [path, body] of [
      ['/dashboard/projections/nope/rebuild', {}],
      ['/dashboard/projections/growth/rebuild', { _csrf: 'x'.repeat(10_000) }],
      ['/dashboard/sign-in', { apiKey: 'k'.repeat(10_000) }],
    ] as const) {
      const res = await b.post(path, body);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('serves chart.js and its own assets from this server, cacheable by hash', async () => {
    const b = browser(h.app);
    const html = await (await b.get('/dashboard/sign-in')).text();
    const src = /src="(\/dashboard\/assets\/dashboard\.js\?v=[0-9a-f]+)"/.exec(html)![1]!;
    const js = await b.get(src);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const chart = await b.get('/dashboard/assets/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toContain('javascript');
    expect(chart.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await chart.text()).toContain('Chart');
    const etag = chart.headers.get('etag')!;
    expect((await b.get('/dashboard/assets/chart.umd.min.js', { 'If-None-Match': etag })).status).toBe(304);
  });

  it('shows one rubric version at a time, with links to the others; an unknown rubric is a 400', async () => {
    const planned = (await plannedSessions(h.db.pool, { rubric: spinRubric, userIds: ['U0DEMO001'] })).slice(
      0,
      2,
    );
    const deps = {
      store: h.store,
      codec: h.codec,
      inactivityMs: 30 * 60_000,
      llm: createMockLlm(),
      logger: silentLogger,
      metrics: noMetrics,
      clock: () => new Date(),
    };
    for (const p of planned)
      expect(await rescoreSession(deps, await withTranscript(h.db.pool, h.personal, p), spinRubric)).toBe(
        'recorded',
      );
    await h.caughtUp();
    const b = browser(h.app);
    await b.signIn(analystSecret);
    const core = await (await b.get('/dashboard/reps/U0DEMO001')).text();
    expect(core).toContain('data-testid="rubric-current">基本の5スキル（v1）');
    expect(core).toContain('href="/dashboard/reps/U0DEMO001?rubric=spin&amp;rubricVersion=1"');
    const spin = await (await b.get('/dashboard/reps/U0DEMO001?rubric=spin&rubricVersion=1')).text();
    expect(spin).toContain('data-testid="rubric-current">SPIN話法（v1）');
    expect(/data-testid="profile-sessions">(\d+)</.exec(spin)?.[1]).toBe('2');
    const growth = JSON.parse(/id="growth-data">([^<]*)</.exec(spin)![1]!) as {
      datasets: { label: string }[];
    };
    expect(growth.datasets.map((d) => d.label)).toEqual(['状況質問', '問題質問', '示唆質問', '解決質問']);
    const team = await (await b.get('/dashboard?rubric=spin')).text();
    expect(team).toContain('data-testid="rubric-current">SPIN話法（v1）');
    expect((await b.get('/dashboard/reps/U0DEMO001?rubric=nope')).status).toBe(400);
    expect((await b.get('/dashboard?rubric=core&rubricVersion=7')).status).toBe(400);
  });
});
