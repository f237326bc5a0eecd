import { outageReporter } from '../../../projections/cache/outage.ts';
import type { Logger } from '../../../schemas/logger.ts';
import type { RateLimitStore } from './store.ts';

/**
 * The shared (Redis) counters, and in-process ones while they are unavailable: with Redis down,
 * each process still enforces the limits on what it serves, rather than letting everything
 * through to Postgres unthrottled. The outage is logged once when it starts and once when it ends.
 */
export const withFallbackRateLimitStore = (
  primary: RateLimitStore,
  fallback: RateLimitStore,
  logger: Logger,
): RateLimitStore => {
  const outage = outageReporter(
    logger,
    `rate limit store (${primary.kind})`,
    `limits are counted in this process (${fallback.kind}) until it is back`,
  );
  return {
    kind: primary.kind,
    hit: async (identity, windows) => {
      try {
        const decision = await primary.hit(identity, windows);
        outage.succeeded();
        return decision;
      } catch (error) {
        outage.failed(error);
        return fallback.hit(identity, windows);
      }
    },
  };
};
