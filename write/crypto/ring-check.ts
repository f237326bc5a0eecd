import type { DataKeyRow } from './data-key-repository.ts';
import { type RingKey, unwrapDataKey } from './key-ring.ts';

/** A ring key id the data keys need and the ring cannot provide: absent, or present with other key material. */
export type UnopenableRingKey = { keyId: string; reason: 'missing' | 'mismatch'; dataKeys: number };

export type RingCheck = {
  /** Live data keys checked (destroyed ones need no ring key). */
  checked: number;
  opened: number;
  unopenable: UnopenableRingKey[];
};

type WrappedRow = Pick<DataKeyRow, 'subjectId' | 'generation' | 'keyId' | 'wrappedKey'>;

/**
 * Unwraps each live data key with the ring key its row names (the unwrapped key is wiped at
 * once): proof, not a guess from ids, that `byId` opens them. An id can be present with other
 * key material (ENCRYPTION_KEYS ids are chosen by people), which only unwrapping shows.
 */
export const checkRingOpens = (
  rows: Iterable<WrappedRow>,
  byId: (keyId: string) => RingKey | undefined,
): RingCheck => {
  let checked = 0;
  let opened = 0;
  const failed = new Map<string, UnopenableRingKey>();
  for (const row of rows) {
    if (!row.wrappedKey || !row.keyId) continue;
    checked++;
    const ringKey = byId(row.keyId);
    let ok = false;
    if (ringKey) {
      try {
        unwrapDataKey(ringKey, row.wrappedKey, row.subjectId, row.generation).fill(0);
        ok = true;
      } catch {
        ok = false;
      }
    }
    if (ok) {
      opened++;
      continue;
    }
    const entry = failed.get(row.keyId) ?? {
      keyId: row.keyId,
      reason: ringKey ? 'mismatch' : 'missing',
      dataKeys: 0,
    };
    entry.dataKeys++;
    failed.set(row.keyId, entry);
  }
  return { checked, opened, unopenable: [...failed.values()].sort((a, b) => a.keyId.localeCompare(b.keyId)) };
};
