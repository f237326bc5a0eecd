import type { z } from 'zod';
import type { ApiKeyScope } from '../../schemas/config.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type ApiResponseSpec = {
  description: string;
  /** The body's schema (from schemas/api); none for an empty body. */
  schema?: z.ZodType;
  /** `application/json` unless said otherwise (e.g. `text/plain` for /metrics). */
  contentType?: string;
};

/** What a route tells the OpenAPI document about itself. */
export type ApiRouteSpec = {
  method: HttpMethod;
  /** Hono's pattern: `/api/v1/users/:userId/history`. */
  path: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body's media type: `application/json` unless said otherwise (`multipart/form-data`). */
  bodyContentType?: string;
  responses: Readonly<Record<number, ApiResponseSpec>>;
  /**
   * `public` needs no key; a scope needs a key that includes it (analyst ⊂ reviewer ⊂ ops). The
   * API enforces what is written here: the scope guard reads it from the registry.
   */
  security: 'public' | ApiKeyScope;
  /** Served only to METRICS_ALLOWED_IPS (ops endpoints). */
  ipRestricted?: boolean;
  /** Served without a key to METRICS_ALLOWED_IPS, to others with a key of the scope (metrics, detailed health). */
  keylessFromAllowlist?: boolean;
};

export type OpenApiRegistry = {
  /** Adds a route; registering the same method and path again replaces it. */
  register: (...specs: readonly ApiRouteSpec[]) => void;
  routes: () => readonly ApiRouteSpec[];
  /** The spec of a route by method (`get`, …) and Hono pattern. */
  find: (method: string, path: string) => ApiRouteSpec | undefined;
};

/** Routes register here as the app is put together; the document is built from whatever is registered. */
export const createOpenApiRegistry = (): OpenApiRegistry => {
  const specs = new Map<string, ApiRouteSpec>();
  return {
    register: (...added) => {
      for (const spec of added) specs.set(`${spec.method} ${spec.path}`, spec);
    },
    routes: () => [...specs.values()],
    find: (method, path) =>
      specs.get(`${method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()} ${path}`),
  };
};
