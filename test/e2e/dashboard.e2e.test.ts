import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../dashboard/time.ts';
import { createPool } from '../../ops/runtime/postgres.ts';
import { createDataKeys } from '../../write/crypto/data-keys.ts';
import { deriveRingKey, keyRing } from '../../write/crypto/key-ring.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import { encryptingCodec } from '../../write/event-store/encrypting-codec.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { hostileText, recordHostileSession } from '../dashboard/hostile.ts';
import { ciStrict } from '../helpers/ci.ts';
import { type RunningProcess, runCli, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
/** The little of a canvas element the check below uses (the project compiles without the DOM types). */
type Canvas = {
  dataset: Record<string, string | undefined>;
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(root, 'test-results/screenshots');

if (!hasChromium) {
  console.warn(
    `\n[dashboard e2e] NO CHROMIUM at ${chromiumPath}: the browser suite is SKIPPED${ciStrict() ? ' (and FAILS under CI)' : ''}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).\n`,
  );
}

describe('dashboard browser prerequisites', () => {
  it('has Chromium under CI (skipping the browser suite is allowed only outside CI)', () => {
    if (ciStrict()) expect(hasChromium, `Chromium is not installed at ${chromiumPath}`).toBe(true);
  });
});

describe.skipIf(!hasChromium)('dashboard in a browser (Playwright, Chromium headless, salesai serve)', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  const analystKey = `analyst-${randomBytes(16).toString('hex')}`;
  const opsKey = `ops-${randomBytes(16).toString('hex')}`;
  let dataDir: string;
  let app: RunningProcess;
  let browser: Browser;
  let demoFrom = '';
  let hostileSession = '';
  const problems: string[] = [];

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  /** A fresh browser profile; console errors and CSP violations are collected and must stay empty. */
  const newContext = async (): Promise<[BrowserContext, Page]> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    page.on('console', (m) => {
      // The refusals the test provokes (a wrong key, an analyst on the ops page) are not problems.
      if (m.type() !== 'error' || /status of 40[13] /.test(m.text())) return;
      problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    return [context, page];
  };

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation').getByRole('link', { name, exact: true });

  const signIn = async (page: Page, key: string) => {
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.waitForURL(/\/dashboard\/sign-in/);
    await page.getByLabel('API キー').fill(key);
    await page.getByTestId('sign-in').click();
    await page.waitForURL(`${app.baseUrl}/dashboard`);
  };

  /** Whether a chart canvas has been drawn on (chart.js ran, and painted pixels). */
  const painted = (page: Page, testId: string) =>
    page.getByTestId(testId).evaluate((element) => {
      const canvas = element as unknown as Canvas;
      if (canvas.dataset.rendered !== 'true' || canvas.width === 0) return false;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    });

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-dashboard-'));
    const env = {
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      API_KEYS: `analyst:analyst:${analystKey},operator:ops:${opsKey}`,
    };
    // The demo goes in through the CLI, as a newcomer would do it.
    const demo = await runCli(['demo', '--no-key'], env, 120_000);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    demoFrom = /from (\d{4}-\d{2}-\d{2})/.exec(demo.stdout)![1]!;

    const pool = createPool({ url: inject('postgresUrl'), schema, max: 2 });
    const store = createPostgresEventStore({
      pool,
      schema,
      listenConfig: { connectionString: inject('postgresUrl') },
    });
    // Sealed as the server seals it: ENCRYPTION_KEYS unset, so the ring key comes from SECRET_KEY.
    const codec = encryptingCodec(
      createDataKeys(postgresDataKeys(pool), keyRing([deriveRingKey(env.SECRET_KEY)])),
    );
    hostileSession = await recordHostileSession(store, codec);
    await store.close();
    await pool.end();

    app = await startServe(env);
    // Everything is projected once no projection lags behind the store.
    await waitFor(async () => {
      const res = await fetch(`${app.baseUrl}/api/v1/projections`, {
        headers: { Authorization: `Bearer ${opsKey}` },
      });
      if (!res.ok) return false;
      const body = (await res.json()) as {
        projections: { lagEvents: number | null; position: string | null }[];
      };
      return body.projections.every((p) => p.position !== null && p.lagEvents === 0);
    }, 90_000);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop('SIGTERM');
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('walks through every page as an ops user: overview, growth with time travel, session, knowledge, projections, sign-out', async () => {
    const [context, page] = await newContext();

    // Sign-in
    await page.goto(`${app.baseUrl}/dashboard/reps/U0DEMO001`);
    await page.waitForURL(/\/dashboard\/sign-in\?next=/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('サインイン');
    await shot(page, '01-sign-in');
    await page.getByLabel('API キー').fill('not-a-key');
    await page.getByTestId('sign-in').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('この API キーは使えません');
    await page.getByLabel('API キー').fill(opsKey);
    await page.getByTestId('sign-in').click();
    // Back where the visitor was going.
    await page.waitForURL(`${app.baseUrl}/dashboard/reps/U0DEMO001`);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'salesai_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
    expect(session.value).not.toContain(opsKey);

    // Team overview
    await nav(page, 'チーム').click();
    await page.waitForURL(`${app.baseUrl}/dashboard`);
    const reps = page.getByTestId('reps-table').locator('tbody tr');
    await expect.poll(() => reps.count()).toBe(7);
    const repIds = await reps.locator('th').allTextContents();
    for (const id of ['U0DEMO001', 'U0DEMO002', 'U0DEMO003', 'U0DEMO004', 'U0DEMO005', 'U0DEMO006']) {
      expect(repIds).toContain(id);
    }
    await expect.poll(() => painted(page, 'weekly-chart')).toBe(true);
    await expect.poll(() => painted(page, 'skills-chart')).toBe(true);
    expect(await page.getByTestId('improved-list').textContent()).toContain('U0DEMO001');
    expect(await page.getByTestId('needs-help-list').textContent()).toContain('U0DEMO004');
    await shot(page, '02-team-overview');

    // A rep's growth, and time travel
    await page.getByTestId('reps-table').getByRole('link', { name: 'U0DEMO001' }).click();
    await page.waitForURL(/\/dashboard\/reps\/U0DEMO001$/);
    await expect.poll(() => painted(page, 'growth-chart')).toBe(true);
    await expect.poll(() => painted(page, 'profile-chart')).toBe(true);
    const sessionsNow = Number(await page.getByTestId('profile-sessions').textContent());
    const currentNow = await page.getByTestId('profile-table').textContent();
    expect(await page.getByTestId('profile-title').textContent()).toBe('現在のプロフィール');
    await shot(page, '03-rep-growth-now');

    const earlier = addDays(demoFrom, 14);
    await page.getByTestId('as-of-input').fill(earlier);
    await page.getByTestId('as-of-submit').click();
    await page.waitForURL(new RegExp(`asOf=${earlier}`));
    await expect.poll(() => page.getByTestId('profile-title').textContent()).toContain('時点のプロフィール');
    const sessionsThen = Number(await page.getByTestId('profile-sessions').textContent());
    expect(sessionsThen).toBeGreaterThan(0);
    expect(sessionsThen).toBeLessThan(sessionsNow);
    expect(await page.getByTestId('profile-table').textContent()).not.toBe(currentNow);
    await expect.poll(() => painted(page, 'growth-chart')).toBe(true);
    await shot(page, '04-rep-growth-as-of');

    // The slider (shown by the script) moves the date: to the very first day.
    const slider = page.getByTestId('as-of-range');
    await expect.poll(() => slider.isVisible()).toBe(true);
    await slider.focus();
    await page.keyboard.press('Home');
    await page.waitForURL(new RegExp(`asOf=${demoFrom}$`));
    expect(await page.getByTestId('as-of-input').inputValue()).toBe(demoFrom);
    await expect
      .poll(async () => Number(await page.getByTestId('profile-sessions').textContent()))
      .toBeLessThan(sessionsThen);

    // A session
    await page.getByTestId('back-to-today').click();
    await page.getByTestId('sessions-table').locator('tbody tr').first().getByRole('link').click();
    await page.waitForURL(/\/dashboard\/sessions\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('message-user').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('message-assistant').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('insight').count()).toBeGreaterThan(0);
    const cited = page.getByTestId('cited-document').first();
    const citedTitle = await cited.textContent();
    await shot(page, '05-session');
    await cited.click();
    await page.waitForURL(/\/dashboard\/knowledge\/[a-z0-9-]+$/);
    expect(await page.getByTestId('document-title').textContent()).toBe(citedTitle);

    // Markup typed by a rep stays text, and nothing of it runs.
    await page.goto(`${app.baseUrl}/dashboard/sessions/${hostileSession}`);
    await expect
      .poll(() => page.getByTestId('message-user').first().locator('.text').textContent())
      .toBe(hostileText);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('main img, main svg').count()).toBe(0);
    await shot(page, '06-session-with-markup');

    // Knowledge: a Japanese search, then the document
    await nav(page, 'ナレッジ').click();
    await page.getByTestId('knowledge-q').fill('価格 高い');
    await page.getByTestId('knowledge-search').click();
    await page.waitForURL(/knowledge\?q=/);
    const hit = page.getByTestId('result-link').filter({ hasText: '価格反論「高い」への対応' });
    await expect.poll(() => hit.count()).toBe(1);
    expect(Number(await page.getByTestId('result-citations').first().textContent())).toBeGreaterThan(0);
    await shot(page, '07-knowledge-search');
    await hit.click();
    await expect
      .poll(() => page.getByTestId('document-title').textContent())
      .toBe('価格反論「高い」への対応');
    expect(Number(await page.getByTestId('document-citations').textContent())).toBeGreaterThan(0);
    await shot(page, '08-knowledge-document');

    // Projections, and a rebuild followed to its end
    await nav(page, 'プロジェクション').click();
    await page.waitForURL(`${app.baseUrl}/dashboard/projections`);
    const growthRow = page.locator('tr[data-projection="growth"]');
    const generationBefore = Number(await growthRow.locator('[data-field="generation"]').textContent());
    await shot(page, '09-projections');
    await page.getByTestId('rebuild-growth').click();
    await page.waitForURL(/requested=growth/);
    expect(await page.getByRole('status').first().textContent()).toContain('growth の再構築を依頼しました');
    await expect
      .poll(
        async () =>
          Number(await page.locator('tr[data-projection="growth"] [data-field="generation"]').textContent()),
        { timeout: 45_000, interval: 500 },
      )
      .toBeGreaterThan(generationBefore);
    await shot(page, '10-projections-rebuilt');

    // English
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Projections');
    await nav(page, 'Team').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Team overview');
    await expect.poll(() => painted(page, 'weekly-chart')).toBe(true);
    await shot(page, '11-team-overview-en');

    // Sign out: nothing is shown any more
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/dashboard\/sign-in\?signed-out=1/);
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.waitForURL(/\/dashboard\/sign-in/);
    expect(await page.getByTestId('reps-table').count()).toBe(0);
    expect(await page.content()).not.toContain('U0DEMO001');
    const status = await page.request.get(`${app.baseUrl}/dashboard/projections/status`, {
      headers: { Accept: 'application/json' },
    });
    expect(status.status()).toBe(401);
    await context.close();
  }, 180_000);

  it('hides the projections page from an analyst key (403)', async () => {
    const [context, page] = await newContext();
    await signIn(page, analystKey);
    expect(await nav(page, 'プロジェクション').count()).toBe(0);
    const response = await page.goto(`${app.baseUrl}/dashboard/projections`);
    expect(response?.status()).toBe(403);
    expect(await page.getByTestId('error-message').textContent()).toContain('ops スコープ');
    await shot(page, '12-projections-forbidden-for-analyst');
    await context.close();
  }, 60_000);

  it('logged no script error or CSP violation on any page', () => {
    expect(problems).toEqual([]);
  });
});
