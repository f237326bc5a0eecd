import type { Context, MiddlewareHandler } from 'hono';
import { outageReporter } from '../../../projections/cache/outage.ts';
import {
  defaultRateLimits,
  type RateLimitedDetails,
  type RateLimitWindow,
} from '../../../schemas/api/rate-limits.ts';
import { AppError } from '../../../schemas/errors.ts';
import type { Logger } from '../../../schemas/logger.ts';
import '../api-key-auth/index.ts';
import '../client-ip/index.ts';
import type { RateLimitDecision, RateLimitStore, WindowCount } from './store.ts';

export type RateLimitOptions = {
  store: RateLimitStore;
  windows?: readonly RateLimitWindow[];
  /** Whose budget a request spends: its API key's, else its client IP's. */
  identify?: (c: Context) => string;
  logger: Logger;
  now?: () => number;
};

const byKeyOrIp = (c: Context) => {
  const key = c.get('apiKey');
  return key ? `key:${key.id}` : `ip:${c.get('clientIp') ?? 'unknown'}`;
};

/** The window the headers describe: when refused, the one to wait longest for; else the tightest. */
const bindingWindow = ({ allowed, windows }: RateLimitDecision): WindowCount => {
  const remaining = (w: WindowCount) => w.limit - w.count;
  const candidates = allowed ? windows : windows.filter((w) => remaining(w) <= 0);
  return candidates.reduce((a, b) =>
    allowed
      ? remaining(b) < remaining(a) || (remaining(b) === remaining(a) && b.resetMs > a.resetMs)
        ? b
        : a
      : b.resetMs > a.resetMs
        ? b
        : a,
  );
};

/**
 * Every window applies (100 a minute and 1,000 an hour by default). Each response carries the
 * IETF draft headers (`RateLimit-Limit`, `-Remaining`, `-Reset` in seconds, `RateLimit-Policy`) and
 * the `X-RateLimit-*` ones (`X-RateLimit-Reset` in epoch seconds); over the limit it is 429
 * RATE_LIMITED with `Retry-After`. When the store fails (Redis down) requests pass: the API stays
 * up unlimited rather than going down with its limiter, and the outage is logged once.
 */
export const rateLimit = ({
  store,
  windows = defaultRateLimits,
  identify = byKeyOrIp,
  logger,
  now = Date.now,
}: RateLimitOptions): MiddlewareHandler => {
  const outage = outageReporter(
    logger,
    `rate limit store (${store.kind})`,
    'requests pass unlimited (fail open)',
  );
  const policy = windows.map((w) => `${w.limit};w=${w.windowSeconds}`).join(', ');

  return async function limitRate(c, next) {
    if (windows.length === 0) return next();
    let decision: RateLimitDecision;
    try {
      decision = await store.hit(identify(c), windows);
      outage.succeeded();
    } catch (error) {
      outage.failed(error);
      return next();
    }
    const binding = bindingWindow(decision);
    const resetSeconds = Math.max(1, Math.ceil(binding.resetMs / 1000));
    const remaining = String(Math.max(0, binding.limit - binding.count));
    c.header('RateLimit-Limit', String(binding.limit));
    c.header('RateLimit-Remaining', remaining);
    c.header('RateLimit-Reset', String(resetSeconds));
    c.header('RateLimit-Policy', policy);
    c.header('X-RateLimit-Limit', String(binding.limit));
    c.header('X-RateLimit-Remaining', remaining);
    c.header('X-RateLimit-Reset', String(Math.ceil((now() + binding.resetMs) / 1000)));
    if (!decision.allowed) {
      c.header('Retry-After', String(resetSeconds));
      const details: RateLimitedDetails = {
        retryAfterSeconds: resetSeconds,
        limit: binding.limit,
        windowSeconds: binding.windowSeconds,
      };
      throw new AppError(
        'RATE_LIMITED',
        `rate limit of ${binding.limit} requests per ${binding.windowSeconds} s reached; retry in ${resetSeconds} s`,
        details,
      );
    }
    await next();
  };
};
