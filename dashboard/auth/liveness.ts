import type pg from 'pg';
import { findLiveApiKey } from '../../read-api/auth/store.ts';
import type { Env } from '../../schemas/config.ts';
import { AppError } from '../../schemas/errors.ts';
import { type DashboardKeys, keyFingerprint, sameMac } from './keys.ts';
import type { SessionClaims } from './session-token.ts';

export type LivenessOptions = {
  db: Pick<pg.Pool, 'query'>;
  keys: DashboardKeys;
  envKeys: Env['API_KEYS'];
  /** As the API key verifier: a revoked key's sessions end within this long. */
  ttlMs?: number;
  maxCached?: number;
  now?: () => number;
};

/**
 * Whether the key a session was made with still works. The cookie holds no key, so the API's
 * verifier cannot be asked again; instead the key is recognised by what the token recorded:
 * a CLI key by its row (found by prefix, same id, not revoked), an API_KEYS key by name, scope
 * and fingerprint. Answers are cached briefly, like the verifier's.
 */
export const createLivenessCheck = ({
  db,
  keys,
  envKeys,
  ttlMs = 30_000,
  maxCached = 1000,
  now = Date.now,
}: LivenessOptions) => {
  const envFingerprints = envKeys.map((k) => ({ ...k, fp: keyFingerprint(keys, k.secret) }));
  const cache = new Map<string, { live: boolean; until: number }>();

  const lookUp = async (claims: SessionClaims): Promise<boolean> => {
    // Slack sign-ins hold no key: they last until they expire or are signed out.
    if (claims.src === 'slack') return claims.uid !== undefined;
    if (claims.src === 'environment') {
      return envFingerprints.some(
        (k) => `env:${k.name}` === claims.sub && k.scope === claims.scope && sameMac(k.fp, claims.fp),
      );
    }
    if (!claims.kp) return false;
    let row: Awaited<ReturnType<typeof findLiveApiKey>>;
    try {
      row = await findLiveApiKey(db, claims.kp);
    } catch (error) {
      throw new AppError('UNAVAILABLE', 'API keys cannot be checked right now', undefined, { cause: error });
    }
    return row !== undefined && row.id === claims.sub && row.scope === claims.scope;
  };

  return async (claims: SessionClaims): Promise<boolean> => {
    const cacheKey = `${claims.sub}|${claims.fp}`;
    const cached = cache.get(cacheKey);
    if (cached && cached.until > now()) return cached.live;
    const live = await lookUp(claims);
    cache.delete(cacheKey);
    cache.set(cacheKey, { live, until: now() + ttlMs });
    while (cache.size > maxCached) {
      const oldest = cache.keys().next();
      if (oldest.done) break;
      cache.delete(oldest.value);
    }
    return live;
  };
};

export type LivenessCheck = ReturnType<typeof createLivenessCheck>;
