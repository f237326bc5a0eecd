import { createHash } from 'node:crypto';
import { openBytes, sealBytes } from './aes-gcm.ts';

/**
 * A sealed string: `enc:v1:<keyRef>:<context>:<base64 iv|ciphertext|tag>`.
 * - keyRef names the data key: the subject (base64url) and the key's generation, `VTEyMw.1`.
 * - context is a digest of the event id and the field name (with the index for arrays).
 * The whole header is the AAD, so neither the key reference nor the context can be edited, and
 * a decoder that knows the event compares the context: a ciphertext moved to another event or
 * field does not open there. Strings stay strings: event schemas are unchanged.
 */
export const SEALED_PREFIX = 'enc:v1:';

/** What a forgotten person's text reads as, everywhere. */
export const FORGOTTEN = '[forgotten]';
/** What a sealed value that fails authentication (tampered, moved, unknown key) reads as. */
export const UNREADABLE = '[unreadable]';

export type SealedParts = { header: string; keyRef: string; context: string; payload: string };

/** What every generation of a subject's key references starts with. */
export const keyRefStem = (subjectId: string): string =>
  `${Buffer.from(subjectId, 'utf8').toString('base64url')}.`;

export const keyRefOf = (subjectId: string, generation: number): string =>
  `${keyRefStem(subjectId)}${generation}`;

export const parseKeyRef = (keyRef: string): { subjectId: string; generation: number } | null => {
  const match = /^([A-Za-z0-9_-]+)\.(\d{1,9})$/.exec(keyRef);
  if (!match) return null;
  return { subjectId: Buffer.from(match[1]!, 'base64url').toString('utf8'), generation: Number(match[2]) };
};

/** Every generation of a subject's keys starts with this (for counting sealed values by subject). */
export const keyRefPrefixOf = (subjectId: string): string => `${SEALED_PREFIX}${keyRefStem(subjectId)}`;

export const contextOf = (eventId: string, field: string): string =>
  createHash('sha256').update(`${eventId}\0${field}`, 'utf8').digest('base64url').slice(0, 16);

export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(SEALED_PREFIX);

const sealedPattern = /^enc:v1:([A-Za-z0-9_-]+\.\d{1,9}):([A-Za-z0-9_-]{16}):([A-Za-z0-9+/]+={0,2})$/;

/** null for anything that is not a well-formed sealed string (e.g. legacy plaintext). */
export const parseSealed = (value: string): SealedParts | null => {
  const match = sealedPattern.exec(value);
  if (!match) return null;
  return {
    header: `${SEALED_PREFIX}${match[1]}:${match[2]}`,
    keyRef: match[1]!,
    context: match[2]!,
    payload: match[3]!,
  };
};

export const sealText = (dataKey: Buffer, keyRef: string, context: string, plaintext: string): string => {
  const header = `${SEALED_PREFIX}${keyRef}:${context}`;
  const sealed = sealBytes(dataKey, Buffer.from(plaintext, 'utf8'), Buffer.from(header, 'utf8'));
  return `${header}:${sealed.toString('base64')}`;
};

/** Throws when the key is wrong or anything in the header or payload was changed. */
export const openText = (dataKey: Buffer, parts: SealedParts): string =>
  openBytes(dataKey, Buffer.from(parts.payload, 'base64'), Buffer.from(parts.header, 'utf8')).toString(
    'utf8',
  );
