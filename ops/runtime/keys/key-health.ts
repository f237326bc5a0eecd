import type { HealthCheck } from '../../../read-api/health/checks.ts';
import type { DataKeyRepository } from '../../../write/crypto/data-key-repository.ts';
import type { KeyRing } from '../../../write/crypto/key-ring.ts';
import { checkRingOpens } from '../../../write/crypto/ring-check.ts';

/**
 * `encryptionKeys` in detailed health: a few data keys per ring key in use are unwrapped with
 * this process' ring. Down (and required: nothing sealed can be read or written for those
 * people) when a ring key is missing or holds other key material, e.g. after a restore on a
 * machine without the source's SECRET_KEY.
 */
export const encryptionKeysHealthCheck = (
  repository: DataKeyRepository,
  ring: KeyRing,
  perRingKey = 3,
): HealthCheck => ({
  name: 'encryptionKeys',
  required: true,
  check: async () => {
    const started = performance.now();
    const result = checkRingOpens(await repository.sampleByRingKey(perRingKey), ring.byId);
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const info = { currentRingKey: ring.current.id, sampled: result.checked, opened: result.opened };
    if (result.unopenable.length === 0) return { status: 'ok', latencyMs, info };
    return {
      status: 'down',
      latencyMs,
      detail: `KEY_UNAVAILABLE: data keys wrapped by ring key ${result.unopenable.map((k) => k.keyId).join(', ')} cannot be opened with this key ring; set the source's SECRET_KEY or ENCRYPTION_KEYS (salesai keys export)`,
      info: { ...info, unopenableRingKeys: result.unopenable.map((k) => k.keyId) },
    };
  },
});
