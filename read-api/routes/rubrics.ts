import { Hono } from 'hono';
import { listRubricVersions } from '../../projections/rubrics/queries.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import { RubricList } from '../../schemas/api/read-models.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';
import type { ReadModelDeps } from './read-model-deps.ts';

/** `GET /api/v1/rubrics`: the rubrics scores can be on, built-in and published, with every version. */
export const rubricRoutes = (deps: ReadModelDeps) => {
  const app = new Hono();
  app.get('/api/v1/rubrics', async (c) => {
    const versions = await listRubricVersions(deps.pool);
    const ids = [...new Set(versions.map((v) => v.id))];
    const body: RubricList = {
      items: ids.map((id) => {
        const own = versions.filter((v) => v.id === id);
        return {
          id,
          latestVersion: Math.max(...own.map((v) => v.version)),
          versions: own.map(({ version, name, skills, builtIn, publishedAt }) => ({
            version,
            name,
            skills,
            builtIn,
            publishedAt,
          })),
        };
      }),
    };
    return c.json(body);
  });
  return app;
};

export const rubricRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/rubrics',
    summary: 'Rubrics (built-in and published) with their versions and skills',
    tags: ['growth'],
    security: 'analyst',
    responses: {
      200: { description: 'Every rubric', schema: RubricList },
      401: { description: 'No valid API key', schema: ErrorBody },
      429: { description: 'Rate limit exceeded', schema: ErrorBody },
    },
  },
];
