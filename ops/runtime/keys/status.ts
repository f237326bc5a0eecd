import type { DataKeyRepository } from '../../../write/crypto/data-key-repository.ts';
import type { KeyRing } from '../../../write/crypto/key-ring.ts';

export type RingKeyStatus = {
  keyId: string;
  /** current: wraps new keys; readable: still in the ring; missing: keys wrapped by it cannot be opened. */
  state: 'current' | 'readable' | 'missing';
  dataKeys: number;
};

export type KeyStatus = { ringKeys: RingKeyStatus[]; destroyed: number };

/** Which ring keys wrap how many data keys: after a rotation the old ones should wrap none. */
export const keyStatus = async (repository: DataKeyRepository, ring: KeyRing): Promise<KeyStatus> => {
  const counts = await repository.countByRingKey();
  const byId = new Map(counts.filter((c) => c.keyId !== null).map((c) => [c.keyId!, c.count]));
  const ringKeys: RingKeyStatus[] = ring.keys
    .filter((k, i) => ring.keys.findIndex((o) => o.id === k.id) === i)
    .map((k) => ({
      keyId: k.id,
      state: k.id === ring.current.id ? 'current' : 'readable',
      dataKeys: byId.get(k.id) ?? 0,
    }));
  for (const [keyId, count] of byId)
    if (!ring.byId(keyId)) ringKeys.push({ keyId, state: 'missing', dataKeys: count });
  return { ringKeys, destroyed: counts.find((c) => c.keyId === null)?.count ?? 0 };
};
