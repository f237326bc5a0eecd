import { Hono } from 'hono';
import { WhoAmIResponse } from '../../schemas/api/api-keys.ts';
import '../middleware/api-key-auth/index.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';

export const whoAmIPath = '/api/v1/auth/whoami';

/** Which key a request carries: lets an operator check a key (and its scope) after creating or deploying it. */
export const authRoutes = () =>
  new Hono().get(whoAmIPath, (c) => {
    const { name, scope, source } = c.get('apiKey');
    return c.json(WhoAmIResponse.parse({ name, scope, source }));
  });

export const authRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: whoAmIPath,
    summary: 'The API key this request carries: its name, scope and where it comes from',
    tags: ['authentication'],
    security: 'analyst',
    responses: { 200: { description: 'The key', schema: WhoAmIResponse } },
  },
];
