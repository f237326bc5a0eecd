import { Hono } from 'hono';
import { buildOpenApiDocument, type DocumentInfo } from './document.ts';
import type { OpenApiRegistry } from './registry.ts';

export const openApiPath = '/api/v1/openapi.json';

/** `GET /api/v1/openapi.json`, built from the registry on each request (routes may be added late). */
export const openApiRoutes = (registry: OpenApiRegistry, info: DocumentInfo) =>
  new Hono().get(openApiPath, (c) => c.json(buildOpenApiDocument(registry, info)));
