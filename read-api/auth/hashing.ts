import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Keys are hashed with HMAC-SHA-256 under a key derived from SECRET_KEY, not with scrypt: a key's
 * secret is 256 random bits, so a slow hash adds nothing against guessing (that is for passwords
 * people choose), while scrypt on every request would cost tens of milliseconds of CPU each —
 * a denial of service lever. The HMAC key means a copy of the table alone cannot even check a
 * guess. Changing SECRET_KEY therefore invalidates the keys made with the CLI (API_KEYS ones stay).
 */
export const apiKeyPepper = (secretKey: string): Buffer =>
  createHmac('sha256', secretKey).update('salesai/api-keys/v1').digest();

export const hashApiKey = (pepper: Buffer, key: string): Buffer =>
  createHmac('sha256', pepper).update(key, 'utf8').digest();

/** Constant-time comparison of two digests. */
export const sameDigest = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
