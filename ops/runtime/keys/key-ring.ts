import type { Env } from '../../../schemas/config.ts';
import { deriveRingKey, type KeyRing, keyRing, type RingKey } from '../../../write/crypto/key-ring.ts';
import { existingSecretKey, resolveSecretKey } from '../config.ts';

const configuredKeys = (env: Env): RingKey[] => env.ENCRYPTION_KEYS.map((k) => ({ id: k.id, key: k.key }));

/**
 * ENCRYPTION_KEYS (newest first), then the key derived from SECRET_KEY. The derived key stays
 * last so that data keys wrapped before ENCRYPTION_KEYS was set remain readable until
 * `salesai keys rotate` re-wraps them; with no ENCRYPTION_KEYS it is the only, current key.
 */
export const keyRingFromEnv = async (env: Env): Promise<KeyRing> =>
  keyRing([...configuredKeys(env), deriveRingKey(await resolveSecretKey(env))]);

/** Where this environment's secret is, for telling operators what to keep apart from backups. */
export type SecretSource = 'SECRET_KEY' | 'DATA_DIR/secret.key';

/**
 * The ring keys this environment holds, without generating a secret when it has none yet (a
 * restore on a new machine must not invent one and then find it opens nothing).
 */
export const existingRing = async (
  env: Env,
): Promise<{ keys: RingKey[]; secret: string | null; secretSource: SecretSource | null }> => {
  const existing = await existingSecretKey(env);
  return {
    keys: [...configuredKeys(env), ...(existing ? [deriveRingKey(existing.secret)] : [])],
    secret: existing?.secret ?? null,
    secretSource: existing ? (existing.source === 'SECRET_KEY' ? 'SECRET_KEY' : 'DATA_DIR/secret.key') : null,
  };
};

/** A value as `.env` reads it back unchanged (a chosen SECRET_KEY may hold `#`, spaces or quotes). */
const dotenvValue = (value: string) =>
  /^[\w+/=.:,@-]+$/.test(value) ? value : value.includes("'") ? JSON.stringify(value) : `'${value}'`;

/**
 * The escrow copy of this environment's keys, as lines `.env`, SECRET_KEY and ENCRYPTION_KEYS
 * accept as they are: SECRET_KEY (which the API key hashes and session cookies also need) and
 * every ring key, the SECRET_KEY-derived one included, in the ring's order (first = current).
 */
export const exportRing = async (env: Env, now = new Date()) => {
  const secret = await resolveSecretKey(env);
  const ring = await keyRingFromEnv(env);
  const seen = new Set<string>();
  const entries = ring.keys.filter((k) => !seen.has(k.id) && seen.add(k.id));
  const source = env.SECRET_KEY ? 'SECRET_KEY' : `${env.DATA_DIR}/secret.key`;
  return {
    ringKeyIds: entries.map((k) => k.id),
    text:
      `# salesai key escrow, exported ${now.toISOString()} (secret from ${source}).\n` +
      '# SECRET: whoever holds this and a backup reads every conversation in it. Keep it apart from\n' +
      '# the backups (a password manager, a sealed envelope, a secrets vault). To restore on a new\n' +
      '# machine, put these two lines in its environment (or .env) before `salesai restore`.\n' +
      `SECRET_KEY=${dotenvValue(secret)}\n` +
      `ENCRYPTION_KEYS=${entries.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',')}\n`,
  };
};
