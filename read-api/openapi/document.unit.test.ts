import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreRouteSpecs } from './core-routes.ts';
import { buildOpenApiDocument } from './document.ts';
import { createOpenApiRegistry } from './registry.ts';

type Operation = {
  security: unknown;
  parameters?: unknown[];
  responses: Record<
    string,
    { content?: Record<string, { schema: { properties?: Record<string, { items?: unknown }> } }> }
  >;
  [extension: string]: unknown;
};

const SkillPoint = z.object({ at: z.string(), score: z.number() }).meta({ id: 'SkillPoint' });

describe('the OpenAPI document', () => {
  it('describes registered routes from their zod schemas', () => {
    const registry = createOpenApiRegistry();
    registry.register(...coreRouteSpecs, {
      method: 'get',
      path: '/api/v1/users/:userId/history',
      summary: 'Growth history',
      security: 'analyst',
      params: z.object({ userId: z.string().describe('Slack user id') }),
      query: z.object({ from: z.string().optional(), limit: z.coerce.number().int().default(20) }),
      responses: { 200: { description: 'History', schema: z.object({ points: z.array(SkillPoint) }) } },
    });
    const doc = buildOpenApiDocument(registry, { title: 'AI Sales Agent', version: '1.2.3' });

    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'AI Sales Agent', version: '1.2.3' });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/health/detailed',
        '/metrics',
        '/api/v1/openapi.json',
        '/api/v1/users/{userId}/history',
      ]),
    );
    const history = doc.paths['/api/v1/users/{userId}/history']!.get as Operation;
    expect(history.security).toEqual([{ bearerAuth: [] }]);
    expect(history['x-required-scope']).toBe('analyst');
    expect(history.parameters).toEqual([
      {
        name: 'userId',
        in: 'path',
        required: true,
        description: 'Slack user id',
        schema: expect.any(Object),
      },
      { name: 'from', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer' }) },
    ]);
    expect(Object.keys(history.responses)).toEqual(['200', '400', '401', '429']);
    expect(history.responses['200']?.content?.['application/json']?.schema.properties?.points?.items).toEqual(
      {
        $ref: '#/components/schemas/SkillPoint',
      },
    );
    const components = doc.components as { schemas: Record<string, unknown>; securitySchemes: unknown };
    expect(components.schemas.SkillPoint).toMatchObject({ type: 'object' });
    expect(components.schemas.ErrorBody).toMatchObject({ type: 'object' });
    expect(components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' } });

    const health = doc.paths['/api/v1/health']!.get as Operation;
    expect(health.security).toEqual([]);
    expect(Object.keys(health.responses)).toEqual(['200']);
    const metrics = doc.paths['/metrics']!.get as Operation;
    expect(Object.keys(metrics.responses['200']?.content ?? {})).toEqual(['text/plain']);
    expect(metrics['x-keyless-from']).toBe('METRICS_ALLOWED_IPS');
    expect(metrics['x-required-scope']).toBe('ops');
    expect(() => JSON.parse(JSON.stringify(doc))).not.toThrow();
  });

  it('replaces a route registered twice', () => {
    const registry = createOpenApiRegistry();
    registry.register(coreRouteSpecs[0]!, { ...coreRouteSpecs[0]!, summary: 'again' });
    expect(registry.routes()).toHaveLength(1);
    expect(registry.routes()[0]!.summary).toBe('again');
  });
});
