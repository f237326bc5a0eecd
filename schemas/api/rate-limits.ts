import { z } from 'zod';

export const RateLimitWindow = z.object({
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});
export type RateLimitWindow = z.infer<typeof RateLimitWindow>;

/** The seed's limits ("100 per minute", "1000 per hour"), both enforced, per key or client IP. */
export const defaultRateLimits: readonly RateLimitWindow[] = [
  { limit: 100, windowSeconds: 60 },
  { limit: 1000, windowSeconds: 3600 },
];

/** `details` of a RATE_LIMITED error body. */
export const RateLimitedDetails = z.object({
  retryAfterSeconds: z.number().int().positive(),
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});
export type RateLimitedDetails = z.infer<typeof RateLimitedDetails>;
