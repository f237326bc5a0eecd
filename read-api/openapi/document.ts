import { ErrorBody } from '../../schemas/api/errors.ts';
import type { OpenApiDocument } from '../../schemas/api/openapi.ts';
import { toOpenApiSchema } from './json-schema.ts';
import type { ApiRouteSpec, OpenApiRegistry } from './registry.ts';

export type DocumentInfo = { title: string; version: string; description?: string };

type JsonSchema = Record<string, unknown>;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

/** `/api/v1/users/:userId` → `/api/v1/users/{userId}` */
const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

const parameters = (spec: ApiRouteSpec, components: Record<string, JsonSchema>) =>
  (['path', 'query'] as const).flatMap((where) => {
    const schema = where === 'path' ? spec.params : spec.query;
    if (!schema) return [];
    const json = toOpenApiSchema(schema, 'input', components) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
      schema: property,
    }));
  });

const operation = (spec: ApiRouteSpec, components: Record<string, JsonSchema>) => {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema
        ? {
            content: {
              [response.contentType ?? 'application/json']: {
                schema: toOpenApiSchema(response.schema, 'output', components),
              },
            },
          }
        : {}),
    };
  }
  // The guards in front of the routes answer these, whatever the route is.
  const parametrised = spec.params !== undefined || spec.query !== undefined || spec.body !== undefined;
  if (parametrised) responses['400'] ??= errorResponse('Invalid parameters or body');
  if (spec.security !== 'public') {
    responses['401'] ??= errorResponse('No API key, or not a valid one');
    if (spec.security !== 'analyst')
      responses['403'] ??= errorResponse(`The key lacks the ${spec.security} scope`);
  }
  if (spec.ipRestricted) responses['403'] ??= errorResponse('Not allowed from the client address');
  // Requests without a key from an allowlisted address (health, metrics) or a keyed ones are limited.
  if (spec.security !== 'public' && spec.path.startsWith('/api/v1/')) {
    responses['429'] ??= errorResponse('Rate limit reached: see Retry-After');
  }
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.tags ? { tags: [...spec.tags] } : {}),
    operationId: `${spec.method}${openApiPath(spec.path)
      .replace(/[{}]/g, '')
      .split(/[/._-]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('')}`,
    ...(parametrised ? { parameters: parameters(spec, components) } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              [spec.bodyContentType ?? 'application/json']: {
                schema: toOpenApiSchema(spec.body, 'input', components),
              },
            },
          },
        }
      : {}),
    responses,
    security: spec.security === 'public' ? [] : [{ bearerAuth: [] }],
    ...(spec.security === 'public' ? {} : { 'x-required-scope': spec.security }),
    ...(spec.ipRestricted ? { 'x-ip-allowlist': 'METRICS_ALLOWED_IPS' } : {}),
    ...(spec.keylessFromAllowlist ? { 'x-keyless-from': 'METRICS_ALLOWED_IPS' } : {}),
  };
};

/** The OpenAPI 3.1 document of every registered route. */
export const buildOpenApiDocument = (registry: OpenApiRegistry, info: DocumentInfo): OpenApiDocument => {
  const components: Record<string, JsonSchema> = {
    ErrorBody: toOpenApiSchema(ErrorBody, 'output', {}),
  };
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = [...registry.routes()].sort((a, b) => a.path.localeCompare(b.path));
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    paths[path] ??= {};
    paths[path][spec.method] = operation(spec, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      ...(info.description ? { description: info.description } : {}),
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A key from `salesai api-key create` (sk_…) or from API_KEYS',
        },
      },
    },
  };
};
