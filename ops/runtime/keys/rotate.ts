import type { DataKeyRepository } from '../../../write/crypto/data-key-repository.ts';
import { type KeyRing, unwrapDataKey, wrapDataKey } from '../../../write/crypto/key-ring.ts';

export type RotationReport = {
  currentKeyId: string;
  rewrapped: number;
  /** Changed under us (forgotten or rotated by another run meanwhile): nothing to do. */
  skipped: number;
  /** Wrapped by a ring key this process does not hold: put it back in ENCRYPTION_KEYS and run again. */
  missingRingKeys: Record<string, number>;
};

/**
 * Re-wraps every live data key with the current ring key. Data keys themselves do not change,
 * so nothing sealed with them is touched and running processes (which cache unwrapped keys)
 * go on working: rotation needs no downtime. Afterwards the old ring key can be removed.
 */
export const rotateDataKeys = async (
  repository: DataKeyRepository,
  ring: KeyRing,
  onProgress: (done: number) => void = () => {},
  batchSize = 500,
): Promise<RotationReport> => {
  const report: RotationReport = {
    currentKeyId: ring.current.id,
    rewrapped: 0,
    skipped: 0,
    missingRingKeys: {},
  };
  let after = '';
  for (;;) {
    const rows = await repository.wrappedByOthers(ring.current.id, batchSize, after);
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = row.subjectId;
      const old = row.keyId ? ring.byId(row.keyId) : undefined;
      if (!old || !row.wrappedKey) {
        const id = row.keyId ?? '(none)';
        report.missingRingKeys[id] = (report.missingRingKeys[id] ?? 0) + 1;
        continue;
      }
      const dataKey = unwrapDataKey(old, row.wrappedKey, row.subjectId, row.generation);
      const wrapped = wrapDataKey(ring.current, dataKey, row.subjectId, row.generation);
      dataKey.fill(0);
      if (await repository.rewrap(row, ring.current.id, wrapped)) report.rewrapped++;
      else report.skipped++;
    }
    onProgress(report.rewrapped + report.skipped);
  }
};
