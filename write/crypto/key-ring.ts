import { createHash, hkdfSync } from 'node:crypto';
import { openBytes, sealBytes } from './aes-gcm.ts';

export type RingKey = { readonly id: string; readonly key: Buffer };

/**
 * The keys that wrap data keys. The first is the current one (new and re-wrapped data keys
 * use it); the others stay readable so a rotation never needs downtime.
 */
export type KeyRing = {
  readonly current: RingKey;
  readonly keys: readonly RingKey[];
  byId(id: string): RingKey | undefined;
};

export const keyRing = (keys: readonly RingKey[]): KeyRing => {
  const current = keys[0];
  if (!current) throw new Error('the key ring needs at least one key');
  const index = new Map<string, RingKey>();
  for (const k of keys) {
    if (k.key.length !== 32) throw new Error(`ring key ${k.id} must be 32 bytes`);
    // The first entry of an id wins: a list newest first should not name a key twice anyway.
    if (!index.has(k.id)) index.set(k.id, k);
  }
  return { current, keys, byId: (id) => index.get(id) };
};

/**
 * The ring key derived from SECRET_KEY (HKDF-SHA256). Its id carries a fingerprint, so a
 * changed SECRET_KEY shows up as a missing ring key rather than as failing decryption.
 */
export const deriveRingKey = (secret: string): RingKey => {
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'salesai key ring', 'ring-key v1', 32),
  );
  const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return { id: `secret-${fingerprint}`, key };
};

/** Binds a wrapped data key to its subject and generation: wrapped keys cannot be swapped between rows. */
const wrapAad = (subjectId: string, generation: number) =>
  Buffer.from(`salesai data key\0${subjectId}\0${generation}`, 'utf8');

export const wrapDataKey = (ring: RingKey, dataKey: Buffer, subjectId: string, generation: number): Buffer =>
  sealBytes(ring.key, dataKey, wrapAad(subjectId, generation));

export const unwrapDataKey = (
  ring: RingKey,
  wrapped: Buffer,
  subjectId: string,
  generation: number,
): Buffer => openBytes(ring.key, wrapped, wrapAad(subjectId, generation));
