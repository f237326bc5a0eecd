import type { DataKeys } from './data-keys.ts';
import { FORGOTTEN, isSealed, openText, parseSealed, UNREADABLE } from './sealed-text.ts';

/**
 * Opens sealed strings where they are served (read API, Slack views, dashboard). Read tables and
 * caches hold sealed strings; this is the one way back to text. Never throws for a forgotten
 * or tampered value: it reads as a placeholder.
 */
export type PersonalText = {
  open(value: string): Promise<string>;
  /** A copy of a JSON-like value with every sealed string in it opened. */
  openDeep<T>(value: T): Promise<T>;
};

/** `expectedContext`: the digest of event id and field, when the caller knows them (the codec). */
export const openSealedString = async (
  keys: DataKeys,
  value: string,
  expectedContext?: string,
): Promise<string> => {
  const parts = parseSealed(value);
  // Legacy plaintext (written before encryption) that happens to start like a sealed value.
  if (!parts) return value;
  if (expectedContext !== undefined && parts.context !== expectedContext) return UNREADABLE;
  const key = await keys.forReading(parts.keyRef);
  if (key === 'forgotten') return FORGOTTEN;
  if (key === 'unknown') return UNREADABLE;
  try {
    return openText(key, parts);
  } catch {
    return UNREADABLE;
  }
};

const openAll = async (keys: DataKeys, value: unknown): Promise<unknown> => {
  if (isSealed(value)) return openSealedString(keys, value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => openAll(keys, v)));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await openAll(keys, v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
};

export const personalText = (keys: DataKeys): PersonalText => ({
  open: (value) => openSealedString(keys, value),
  openDeep: async <T>(value: T) => (await openAll(keys, value)) as T,
});
