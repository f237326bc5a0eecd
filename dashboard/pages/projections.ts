import { Hono } from 'hono';
import { pendingRebuildRequests, requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import { projectionStatuses } from '../../projections/runner/status.ts';
import { AppError } from '../../schemas/errors.ts';
import { requireOpsScope } from '../auth/session-middleware.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { type ProjectionRow, projectionRows, projectionsView, rebuildActive } from '../views/projections.ts';

const rowsOf = async (rt: DashboardRuntime): Promise<ProjectionRow[]> => {
  const { pool, store, projections, runners } = rt.deps;
  const statuses = await projectionStatuses(pool, store, projections, runners());
  return Promise.all(
    statuses.map(async (s) => ({ ...s, pendingRebuilds: await pendingRebuildRequests(pool, s.name) })),
  );
};

/** The ops pages: an ops key, and the same address rule as the ops API (METRICS_ALLOWED_IPS). */
export const projectionPages = (rt: DashboardRuntime) => {
  const app = new Hono();
  for (const path of ['/dashboard/projections', '/dashboard/projections/*']) {
    app.use(path, requireOpsScope(), rt.deps.opsGuard);
  }

  app.get('/dashboard/projections', async (c) => {
    const rows = await rowsOf(rt);
    const requested = c.req.query('requested');
    const session = c.get('dashboardSession');
    return c.html(
      projectionsView(rt.page(c), {
        rows,
        requested: rows.some((r) => r.name === requested) ? (requested ?? null) : null,
        csrf: session.csrf,
      }),
    );
  });

  /** What the page polls while a rebuild runs: the state, and the table rows to show. */
  app.get('/dashboard/projections/status', async (c) => {
    const rows = await rowsOf(rt);
    const csrf = c.get('dashboardSession').csrf;
    c.header('Cache-Control', 'no-store');
    return c.json({
      active: rebuildActive(rows),
      projections: rows,
      rowsHtml: String(await projectionRows(rt.page(c), { rows, requested: null, csrf })),
    });
  });

  app.post('/dashboard/projections/:name/rebuild', async (c) => {
    const name = c.req.param('name');
    if (!rt.deps.projections.some((p) => p.name === name))
      throw new AppError('NOT_FOUND', `no projection ${name}`);
    const who = c.get('dashboardSession').claims.name;
    await requestRebuild(rt.deps.pool, name, `dashboard:${who}`);
    rt.deps.logger.info({ projection: name, key: who }, 'rebuild requested from the dashboard');
    return c.redirect(`/dashboard/projections?requested=${encodeURIComponent(name)}`, 303);
  });

  return app;
};
