import { createHash } from 'node:crypto';

/** sha256 (hex) of the title and body: the same text always gives the same hash. */
export const knowledgeContentHash = (title: string, body: string): string =>
  createHash('sha256').update(`${title}\n${body}`).digest('hex');
