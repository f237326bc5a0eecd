import { Hono } from 'hono';
import { readThrough } from '../../projections/cache/read-through.ts';
import { searchKnowledge } from '../../projections/knowledge/search.ts';
import { ErrorBody } from '../../schemas/api/errors.ts';
import { KnowledgeSearchQuery, KnowledgeSearchResponse } from '../../schemas/api/read-models.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';
import { CACHE_TTL_SECONDS, type ReadModelDeps } from './read-model-deps.ts';

export const knowledgeRoutes = (deps: ReadModelDeps) => {
  const app = new Hono();
  app.get('/api/v1/knowledge/search', async (c) => {
    const query = KnowledgeSearchQuery.parse(c.req.query());
    const results = await readThrough(deps.cache, {
      scope: 'knowledge',
      key: `search:${query.limit}:${query.language ?? ''}:${query.q}`,
      ttlSeconds: CACHE_TTL_SECONDS,
      load: () =>
        searchKnowledge(deps.pool, query.q, {
          limit: query.limit,
          ...(query.language ? { language: query.language } : {}),
        }),
    });
    return c.json({ query: query.q, results });
  });
  return app;
};

export const knowledgeRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/knowledge/search',
    summary: 'Search the sales knowledge base (Japanese and English), ranked, with snippets',
    tags: ['knowledge'],
    security: 'analyst',
    query: KnowledgeSearchQuery,
    responses: {
      200: { description: 'Ranked documents', schema: KnowledgeSearchResponse },
      400: { description: 'Missing or invalid q', schema: ErrorBody },
    },
  },
];
