import { randomBytes } from 'node:crypto';
import { boundedCache } from './bounded-cache.ts';
import type { DataKeyRepository } from './data-key-repository.ts';
import { type KeyRing, unwrapDataKey, wrapDataKey } from './key-ring.ts';
import { KeyUnavailableError } from './key-unavailable.ts';
import { keyRefOf, keyRefStem, parseKeyRef } from './sealed-text.ts';

export type WritingKey = { keyRef: string; key: Buffer };
/** `forgotten`: the key was destroyed; `unknown`: no such key was ever made (a forged reference). */
export type ReadingKey = Buffer | 'forgotten' | 'unknown';

/** Per-subject data keys: made on first use, unwrapped with the ring, cached in process. */
export type DataKeys = {
  readonly ring: KeyRing;
  forWriting(subjectId: string): Promise<WritingKey>;
  forReading(keyRef: string): Promise<ReadingKey>;
  /** Drops what this process holds of a subject (after forget-user). */
  evict(subjectId: string): void;
};

export type DataKeysOptions = {
  /** Entries kept in each cache; 10,000 keys are 320 kB of key material plus overhead. */
  maxCached?: number;
  /** How long an unwrapped key is used before the repository is asked again (bounds forget-user's delay in other processes). */
  ttlMs?: number;
};

export const createDataKeys = (
  repository: DataKeyRepository,
  ring: KeyRing,
  options: DataKeysOptions = {},
): DataKeys => {
  const cacheOptions = { max: options.maxCached ?? 10_000, ttlMs: options.ttlMs ?? 60_000 };
  const writing = boundedCache<WritingKey>(cacheOptions);
  const reading = boundedCache<Buffer | 'forgotten'>(cacheOptions);

  const unwrap = (row: {
    subjectId: string;
    generation: number;
    keyId: string | null;
    wrappedKey: Buffer | null;
  }) => {
    const ringKey = row.keyId ? ring.byId(row.keyId) : undefined;
    // A missing ring key is a configuration error, not a forgotten person: say so loudly.
    if (!ringKey || !row.wrappedKey) throw new KeyUnavailableError(row.keyId, 'missing');
    try {
      return unwrapDataKey(ringKey, row.wrappedKey, row.subjectId, row.generation);
    } catch (error) {
      throw new KeyUnavailableError(row.keyId, 'mismatch', { cause: error });
    }
  };

  return {
    ring,
    async forWriting(subjectId) {
      const cached = writing.get(subjectId);
      if (cached) return cached;
      let row = await repository.find(subjectId);
      if (!row?.wrappedKey) {
        const key = randomBytes(32);
        const generation = row ? row.generation + 1 : 1;
        const wrapped = wrapDataKey(ring.current, key, subjectId, generation);
        row = row
          ? await repository.renew(subjectId, row.generation, ring.current.id, wrapped)
          : await repository.create(subjectId, ring.current.id, wrapped);
        key.fill(0);
      }
      const result = { keyRef: keyRefOf(subjectId, row.generation), key: unwrap(row) };
      writing.set(subjectId, result);
      reading.set(result.keyRef, result.key);
      return result;
    },
    async forReading(keyRef) {
      const cached = reading.get(keyRef);
      if (cached) return cached;
      const ref = parseKeyRef(keyRef);
      if (!ref) return 'unknown';
      const row = await repository.find(ref.subjectId);
      if (!row || ref.generation > row.generation) return 'unknown';
      const result: Buffer | 'forgotten' =
        ref.generation < row.generation || !row.wrappedKey ? 'forgotten' : unwrap(row);
      reading.set(keyRef, result);
      return result;
    },
    evict(subjectId) {
      writing.delete(subjectId);
      const stem = keyRefStem(subjectId);
      reading.deleteWhere((keyRef) => keyRef.startsWith(stem));
    },
  };
};
