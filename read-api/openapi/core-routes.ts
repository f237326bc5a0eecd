import { z } from 'zod';
import { DetailedHealthResponse, HealthResponse } from '../../schemas/api/health.ts';
import { OpenApiDocument } from '../../schemas/api/openapi.ts';
import { metricsPath } from '../metrics/route.ts';
import type { ApiRouteSpec } from './registry.ts';
import { openApiPath } from './route.ts';

/** The routes that exist before any read model: health, metrics and this document itself. */
export const coreRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/health',
    summary: 'Liveness: the process serves requests',
    tags: ['operations'],
    security: 'public',
    responses: { 200: { description: 'Serving', schema: HealthResponse } },
  },
  {
    method: 'get',
    path: '/api/v1/health/detailed',
    summary: 'Every dependency with its status and latency',
    description:
      'Status `degraded` when an optional dependency (the cache) is not ok. Needs an `ops` key, or a client address in METRICS_ALLOWED_IPS (then no key). The probe result is reused for a couple of seconds, so polling it is cheap.',
    tags: ['operations'],
    security: 'ops',
    keylessFromAllowlist: true,
    responses: {
      200: { description: 'No required dependency is down', schema: DetailedHealthResponse },
      503: { description: 'A required dependency is down', schema: DetailedHealthResponse },
    },
  },
  {
    method: 'get',
    path: metricsPath,
    summary: 'Prometheus metrics (text exposition format)',
    description: 'Needs an `ops` key, or a client address in METRICS_ALLOWED_IPS (then no key).',
    tags: ['operations'],
    security: 'ops',
    keylessFromAllowlist: true,
    responses: { 200: { description: 'Metrics', schema: z.string(), contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: openApiPath,
    summary: 'This OpenAPI document',
    tags: ['operations'],
    security: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: OpenApiDocument } },
  },
];
