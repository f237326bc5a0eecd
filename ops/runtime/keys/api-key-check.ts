import { createHmac } from 'node:crypto';
import { apiKeyPepper } from '../../../read-api/auth/hashing.ts';

/**
 * A short check value of the API key pepper (derived from SECRET_KEY): equal values mean the
 * API keys made with the CLI verify under this SECRET_KEY. It reveals nothing the backup's
 * wrapped keys do not already let one test a guessed secret against.
 */
export const apiKeyCheck = (secretKey: string): string =>
  createHmac('sha256', apiKeyPepper(secretKey))
    .update('salesai/backup/api-key-check')
    .digest('hex')
    .slice(0, 16);
