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

/**
 * Who was refused lately, and until when (in this process): lets `refusedRecently` turn a throttled
 * client away before anything costly (verifying an unknown key is a database query).
 */
export class RecentRefusals {
  private readonly until = new Map<string, number>();
  private readonly limit: number;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  remember(identity: string, untilMs: number): void {
    this.until.delete(identity);
    this.until.set(identity, untilMs);
    if (this.until.size > this.limit) {
      const oldest = this.until.keys().next();
      if (!oldest.done) this.until.delete(oldest.value);
    }
  }

  /** Whether anyone is remembered at all (the common case, nobody: nothing to look up). */
  get empty(): boolean {
    return this.until.size === 0;
  }

  /** Milliseconds the identity must still wait; 0 when it may try. */
  waitMs(identity: string, nowMs: number): number {
    const until = this.until.get(identity);
    if (until === undefined) return 0;
    if (until <= nowMs) {
      this.until.delete(identity);
      return 0;
    }
    return until - nowMs;
  }
}

export type RateLimitOptions = {
  store: RateLimitStore;
  /** Refusals are remembered here (for `refusedRecently`). */
  refusals?: RecentRefusals;
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
  refusals,
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
    const identity = identify(c);
    let decision: RateLimitDecision;
    try {
      decision = await store.hit(identity, windows);
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
      refusals?.remember(identity, now() + binding.resetMs);
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

export type RefusedRecentlyOptions = {
  refusals: RecentRefusals;
  /** The identity `rateLimit` would count the request by, known without verifying anything. */
  identify: (c: Context) => string;
  now?: () => number;
};

/**
 * Turns away, before authentication, a client the limiter refused and whose window has not
 * ended: a flood of unknown keys from one address then costs no database query per request.
 */
export const refusedRecently = ({
  refusals,
  identify,
  now = Date.now,
}: RefusedRecentlyOptions): MiddlewareHandler =>
  async function refuseThrottled(c, next) {
    if (refusals.empty) return next();
    const waitMs = refusals.waitMs(identify(c), now());
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      c.header('Retry-After', String(retryAfter));
      c.header('RateLimit-Remaining', '0');
      c.header('X-RateLimit-Remaining', '0');
      throw new AppError('RATE_LIMITED', `rate limit reached; retry in ${retryAfter} s`, {
        retryAfterSeconds: retryAfter,
      });
    }
    await next();
  };
