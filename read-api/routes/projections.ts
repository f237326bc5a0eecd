import { Hono } from 'hono';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import { projectionStatuses } from '../../projections/runner/status.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import { ProjectionList, RebuildAccepted } from '../../schemas/api/projections.ts';
import { AppError } from '../../schemas/errors.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';
import type { ReadModelDeps } from './read-model-deps.ts';

export const projectionRoutes = (deps: ReadModelDeps) => {
  const app = new Hono();
  app.get('/api/v1/projections', async (c) =>
    c.json({
      projections: await projectionStatuses(deps.pool, deps.store, deps.projections, deps.runners()),
    }),
  );
  app.post('/api/v1/projections/:name/rebuild', async (c) => {
    const name = c.req.param('name');
    if (!deps.projections.some((p) => p.name === name)) {
      throw new AppError(
        'NOT_FOUND',
        `no projection ${name}; known: ${deps.projections.map((p) => p.name).join(', ')}`,
      );
    }
    const principal = c.get('apiKey' as never) as { name?: string } | undefined;
    const requestId = await requestRebuild(deps.pool, name, `api:${principal?.name ?? 'unknown'}`);
    return c.json({ name, requestId, status: 'requested' as const }, 202);
  });
  return app;
};

export const projectionRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/projections',
    summary: 'Every projection: position, lag in events and seconds, dead letters, rebuild progress',
    tags: ['operations'],
    security: 'ops',
    ipRestricted: true,
    responses: { 200: { description: 'Projection status', schema: ProjectionList } },
  },
  {
    method: 'post',
    path: '/api/v1/projections/:name/rebuild',
    summary:
      'Zero-downtime rebuild: a new generation is built from the start while the old one serves, then swapped in',
    tags: ['operations'],
    security: 'ops',
    ipRestricted: true,
    responses: {
      202: {
        description: 'Rebuild requested; follow it on GET /api/v1/projections',
        schema: RebuildAccepted,
      },
      404: { description: 'No such projection', schema: ErrorBody },
    },
  },
];
