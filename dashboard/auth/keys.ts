import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Keys of the dashboard, derived from SECRET_KEY with HKDF under distinct labels, so that a
 * session signature can never stand in for a CSRF token (or an API key hash) and the other way
 * round. Changing SECRET_KEY ends every session.
 */
export type DashboardKeys = {
  /** Signs session tokens; also fingerprints API keys (a fingerprint is not the key). */
  session: Buffer;
  /** Makes CSRF tokens. */
  csrf: Buffer;
};

const derive = (secretKey: string, label: string) =>
  Buffer.from(hkdfSync('sha256', secretKey, 'salesai-dashboard', label, 32));

export const deriveDashboardKeys = (secretKey: string): DashboardKeys => ({
  session: derive(secretKey, 'session/v1'),
  csrf: derive(secretKey, 'csrf/v1'),
});

export const mac = (key: Buffer, text: string): string =>
  createHmac('sha256', key).update(text, 'utf8').digest('base64url');

/** Constant-time comparison of two MACs as text; any length mismatch is simply unequal. */
export const sameMac = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Identifies an API key without revealing it (128 bits of an HMAC under the session key). */
export const keyFingerprint = (keys: DashboardKeys, apiKey: string): string =>
  mac(keys.session, `api-key:${apiKey}`).slice(0, 22);
