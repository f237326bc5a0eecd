import { z } from 'zod';

export const HealthStatus = z.enum(['ok', 'degraded', 'down']);
export type HealthStatus = z.infer<typeof HealthStatus>;

export const ComponentHealth = z.object({
  status: HealthStatus,
  required: z.boolean(),
  latencyMs: z.number().nonnegative(),
  detail: z.string().optional(),
  /** Component-specific figures: a projection's position and lag, the cache kind, the LLM model, … */
  info: z.record(z.string(), z.unknown()).optional(),
});
export type ComponentHealth = z.infer<typeof ComponentHealth>;

export const HealthResponse = z.object({ status: z.literal('ok') });

export const DetailedHealthResponse = z.object({
  status: HealthStatus,
  version: z.string(),
  environment: z.string(),
  uptimeSeconds: z.number(),
  components: z.record(z.string(), ComponentHealth),
});
export type DetailedHealthResponse = z.infer<typeof DetailedHealthResponse>;
