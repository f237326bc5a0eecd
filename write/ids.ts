import { createHash } from 'node:crypto';

/** RFC 4122 version-5 style UUID from a name: the same inputs always give the same id. */
export const deterministicId = (scope: string, name: string): string => {
  const hash = createHash('sha1')
    .update('ai-sales-agent')
    .update('\0')
    .update(scope)
    .update('\0')
    .update(name)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
