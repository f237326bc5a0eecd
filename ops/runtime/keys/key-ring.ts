import type { Env } from '../../../schemas/config.ts';
import { deriveRingKey, type KeyRing, keyRing, type RingKey } from '../../../write/crypto/key-ring.ts';
import { resolveSecretKey } from '../config.ts';

/**
 * ENCRYPTION_KEYS (newest first), then the key derived from SECRET_KEY. The derived key stays
 * last so that data keys wrapped before ENCRYPTION_KEYS was set remain readable until
 * `salesai keys rotate` re-wraps them; with no ENCRYPTION_KEYS it is the only, current key.
 */
export const keyRingFromEnv = async (env: Env): Promise<KeyRing> => {
  const configured: RingKey[] = env.ENCRYPTION_KEYS.map((k) => ({ id: k.id, key: k.key }));
  return keyRing([...configured, deriveRingKey(await resolveSecretKey(env))]);
};
