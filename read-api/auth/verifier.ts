import { hash } from 'node:crypto';
import type pg from 'pg';
import type { ApiKeyPrincipal } from '../../schemas/api/api-keys.ts';
import type { Env } from '../../schemas/config.ts';
import { AppError } from '../../schemas/errors.ts';
import type { Logger } from '../../schemas/logger.ts';
import { hashApiKey, sameDigest } from './hashing.ts';
import { apiKeyPrefix } from './key-format.ts';
import { findLiveApiKey, touchApiKey } from './store.ts';

export type ApiKeyVerifierOptions = {
  /** Where CLI-made keys live; without it only API_KEYS keys are accepted. */
  db?: Pick<pg.Pool, 'query'>;
  pepper: Buffer;
  envKeys?: Env['API_KEYS'];
  logger: Logger;
  /**
   * How long a successful verification is reused without asking Postgres. It is also the bound
   * on how long a revoked key keeps working in a process that had just verified it.
   */
  cacheTtlMs?: number;
  maxCached?: number;
  /** `last_used_at` is written at most this often per key. */
  touchIntervalMs?: number;
  now?: () => number;
};

export type ApiKeyVerifier = {
  /** The key's principal, or undefined for an unknown, revoked or malformed key. */
  verify: (key: string) => Promise<ApiKeyPrincipal | undefined>;
  /**
   * The principal of a key verified within the cache's lifetime, without asking anything (no
   * database query): what the rate limiter, which runs before verification, counts a request by.
   */
  peek: (key: string) => ApiKeyPrincipal | undefined;
};

/**
 * Checks bearer keys: API_KEYS secrets (compared in constant time, all of them, every time) and
 * `sk_…` keys from the api_keys table (found by prefix, hash compared in constant time).
 */
export const createApiKeyVerifier = ({
  db,
  pepper,
  envKeys = [],
  logger,
  cacheTtlMs = 30_000,
  maxCached = 1000,
  touchIntervalMs = 60_000,
  now = Date.now,
}: ApiKeyVerifierOptions): ApiKeyVerifier => {
  const fromEnv = envKeys.map((k) => ({
    digest: hashApiKey(pepper, k.secret),
    principal: { id: `env:${k.name}`, name: k.name, scope: k.scope, source: 'environment' } as const,
  }));
  // Keyed by the key's digest, so no secret sits in the map.
  const verified = new Map<string, { principal: ApiKeyPrincipal; until: number }>();
  const touched = new Map<string, number>();

  const touch = (principal: ApiKeyPrincipal) => {
    if (!db || principal.source !== 'database') return;
    const last = touched.get(principal.id) ?? 0;
    if (now() - last < touchIntervalMs) return;
    touched.set(principal.id, now());
    touchApiKey(db, principal.id).catch((error: unknown) =>
      logger.debug({ err: error }, 'could not record API key use'),
    );
  };

  const remember = (cacheKey: string, principal: ApiKeyPrincipal) => {
    verified.delete(cacheKey);
    verified.set(cacheKey, { principal, until: now() + cacheTtlMs });
    while (verified.size > maxCached) {
      const oldest = verified.keys().next();
      if (oldest.done) break;
      verified.delete(oldest.value);
    }
  };

  const cacheKeyOf = (key: string) => hash('sha256', key, 'base64');

  return {
    peek: (key) => {
      if (key.length === 0 || key.length > 256) return undefined;
      const cached = verified.get(cacheKeyOf(key));
      return cached && cached.until > now() ? cached.principal : undefined;
    },
    verify: async (key) => {
      if (key.length === 0 || key.length > 256) return undefined;
      // The in-process cache is keyed by a plain SHA-256 of the key (one-shot, cheap: the HMAC
      // below costs a key object per call and would halve the API's throughput on every request).
      const cacheKey = cacheKeyOf(key);
      const cached = verified.get(cacheKey);
      if (cached && cached.until > now()) {
        touch(cached.principal);
        return cached.principal;
      }
      if (cached) verified.delete(cacheKey);
      const digest = hashApiKey(pepper, key);

      let match: ApiKeyPrincipal | undefined;
      for (const candidate of fromEnv) {
        if (sameDigest(candidate.digest, digest)) match ??= candidate.principal;
      }
      if (match) {
        remember(cacheKey, match);
        return match;
      }

      const prefix = apiKeyPrefix(key);
      if (!db || prefix === undefined) return undefined;
      let row: Awaited<ReturnType<typeof findLiveApiKey>>;
      try {
        row = await findLiveApiKey(db, prefix);
      } catch (error) {
        throw new AppError('UNAVAILABLE', 'API keys cannot be checked right now', undefined, {
          cause: error,
        });
      }
      if (!row || !sameDigest(row.hash, digest)) return undefined;
      const principal: ApiKeyPrincipal = { id: row.id, name: row.name, scope: row.scope, source: 'database' };
      remember(cacheKey, principal);
      touch(principal);
      return principal;
    },
  };
};
