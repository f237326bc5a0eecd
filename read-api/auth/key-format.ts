import { randomBytes } from 'node:crypto';
import { apiKeyPattern } from '../../schemas/api/api-keys.ts';

/** A new key: 48 bits of prefix to find its row, 256 bits of secret. Shown once, never stored. */
export const generateApiKey = (): { key: string; prefix: string } => {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `sk_${prefix}_${secret}`, prefix };
};

/** The prefix of a well-formed key, else undefined (then it can only be an API_KEYS secret). */
export const apiKeyPrefix = (key: string): string | undefined => apiKeyPattern.exec(key)?.[1];
