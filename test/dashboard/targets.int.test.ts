import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import {
  analystSecret,
  browser,
  type DashboardHarness,
  reviewerSecret,
  startDashboardHarness,
} from './harness.ts';

describe('dashboard: targets on the rep page, growth ranking on the team page', () => {
  let h: DashboardHarness;
  beforeAll(async () => {
    h = await startDashboardHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('a reviewer sets a target through the CSRF-protected form, sees its progress, and withdraws it', async () => {
    const reviewer = browser(h.app);
    await reviewer.signIn(reviewerSecret);
    const page = await (await reviewer.get('/dashboard/reps/U0DEMO001')).text();
    expect(page).toContain('data-testid="target-form"');
    const csrf = reviewer.csrfOf(page);
    const form = { skill: 'closing', level: '4.8', dueDate: '2099-12-31' };
    // Without the token: refused.
    expect((await reviewer.post('/dashboard/reps/U0DEMO001/targets', form)).status).toBe(403);
    const saved = await reviewer.post('/dashboard/reps/U0DEMO001/targets', { ...form, _csrf: csrf });
    expect(saved.status).toBe(303);
    // The read model, not the store's head (a head read while another transaction is open can lag).
    const active = async () =>
      (await h.db.pool.query('SELECT count(*)::int AS n FROM skill_targets WHERE active')).rows[0]
        .n as number;
    expect(await waitFor(async () => (await active()) === 1)).toBe(true);
    const after = await (await reviewer.get(saved.headers.get('location')!)).text();
    expect(after).toContain('data-testid="targets-table"');
    expect(after).toMatch(/<td class="n">4\.8<\/td>/);
    expect(after).toContain('目標を保存しました');
    const cleared = await reviewer.post('/dashboard/reps/U0DEMO001/targets/closing/clear', { _csrf: csrf });
    expect(cleared.status).toBe(303);
    expect(await waitFor(async () => (await active()) === 0)).toBe(true);
    expect(await (await reviewer.get('/dashboard/reps/U0DEMO001')).text()).not.toContain(
      'data-testid="targets-table"',
    );
  });

  it('an analyst sees targets but no form, and cannot post one', async () => {
    const analyst = browser(h.app);
    await analyst.signIn(analystSecret);
    const page = await (await analyst.get('/dashboard/reps/U0DEMO001')).text();
    expect(page).toContain('data-testid="targets"');
    expect(page).not.toContain('data-testid="target-form"');
    const refused = await analyst.post('/dashboard/reps/U0DEMO001/targets', {
      _csrf: analyst.csrfOf(page),
      skill: 'closing',
      level: '4',
      dueDate: '2099-12-31',
    });
    expect(refused.status).toBe(403);
  });

  it('the team page ranks reps by growth, steepest first, by display name', async () => {
    const analyst = browser(h.app);
    await analyst.signIn(analystSecret);
    const page = await (await analyst.get('/dashboard')).text();
    const table = /data-testid="growth-ranking">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
    expect(table).toContain('Rep 001');
    const slopes = [...table.matchAll(/<td class="n">([+-]?\d+\.\d\d)<\/td>/g)].map((m) => Number(m[1]));
    expect(slopes.length).toBeGreaterThan(2);
    expect(slopes).toEqual([...slopes].sort((a, b) => b - a));
  });
});
