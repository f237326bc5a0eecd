import type { RingKey } from '../../write/crypto/key-ring.ts';
import { checkRingOpens, type UnopenableRingKey } from '../../write/crypto/ring-check.ts';
import type { LedgerEntry } from '../runtime/keys/shredding-ledger.ts';
import { backupDataKeys, backupLiveApiKeys } from './copy-text.ts';
import type { Manifest } from './format.ts';

/** What this environment holds to read a backup with. */
export type RestoreKeys = {
  /** Its ring keys: ENCRYPTION_KEYS and the key derived from SECRET_KEY (or DATA_DIR/secret.key) if it has one. */
  byId: (keyId: string) => RingKey | undefined;
  /** The check value of its SECRET_KEY for API key hashes (api-key-check.ts); null when it has no secret yet. */
  apiKeyCheck: string | null;
  /** Where a copied secret.key would go here, for the refusal's instructions. */
  secretFile: string;
};

export type KeyCheck = {
  /** Live data keys in the backup that this environment must open (the ledger's are destroyed anyway). */
  dataKeys: number;
  unopenable: UnopenableRingKey[];
  liveApiKeys: number;
  /** true: the API keys verify here; false: they would not; null: the backup predates the check value. */
  apiKeysVerify: boolean | null;
};

/** One line: which ring keys are needed and the three ways to supply them. */
export const keyRefusal = (check: KeyCheck, manifest: Manifest, keys: RestoreKeys): string => {
  const problems: string[] = [];
  if (check.unopenable.length > 0) {
    const ids = check.unopenable.map(
      (k) =>
        `${k.keyId} (${k.dataKeys} data key${k.dataKeys === 1 ? '' : 's'}${k.reason === 'mismatch' ? ', present here with other key material' : ''})`,
    );
    problems.push(
      `its data keys are wrapped by ring key ${ids.join(', ')}, which this environment's key ring cannot open`,
    );
  }
  if (check.apiKeysVerify === false)
    problems.push(
      `its ${check.liveApiKeys} API key(s) made with the CLI were hashed under another SECRET_KEY`,
    );
  const where =
    manifest.keys?.secretSource === 'DATA_DIR/secret.key'
      ? 'the source kept its secret only in its DATA_DIR/secret.key'
      : manifest.keys?.secretSource === 'SECRET_KEY'
        ? "the source's secret was its SECRET_KEY setting"
        : 'the source kept its secret in SECRET_KEY or DATA_DIR/secret.key';
  return (
    `this environment cannot read the backup: ${problems.join('; ')} (${where}). Nothing was written. ` +
    "Supply the source's keys and run restore again: SECRET_KEY and ENCRYPTION_KEYS as `salesai keys export` printed them on the source, " +
    `or the source's SECRET_KEY, or a copy of the source's DATA_DIR/secret.key at ${keys.secretFile} with SECRET_KEY unset` +
    (check.apiKeysVerify === false && check.unopenable.length === 0
      ? ' (or --without-api-keys to restore without the API keys and create new ones)'
      : '')
  );
};

/**
 * Proves, from the backup's own `data_keys` rows and before anything is written, that this
 * environment's ring opens every live data key (by unwrapping each), and that the API key
 * hashes verify under its SECRET_KEY.
 */
export const checkBackupKeys = async (
  dir: string,
  manifest: Manifest,
  keys: RestoreKeys,
  ledger: ReadonlyMap<string, LedgerEntry>,
  withApiKeys: boolean,
): Promise<KeyCheck> => {
  const rows = (await backupDataKeys(dir, manifest.tables)).filter(
    (r) => !(r.generation <= (ledger.get(r.subjectId)?.generation ?? 0)),
  );
  const opened = checkRingOpens(rows, keys.byId);
  const liveApiKeys = withApiKeys ? await backupLiveApiKeys(dir, manifest.tables) : 0;
  const apiKeysVerify =
    liveApiKeys === 0
      ? true
      : manifest.keys
        ? keys.apiKeyCheck !== null && keys.apiKeyCheck === manifest.keys.apiKeyCheck
        : null;
  return { dataKeys: opened.checked, unopenable: opened.unopenable, liveApiKeys, apiKeysVerify };
};
