import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './checksum.ts';
import { type Manifest, manifestFile, manifestSchema } from './format.ts';

export class BackupInvalidError extends Error {
  override name = 'BackupInvalidError';
}

export const writeManifest = async (dir: string, manifest: Manifest) =>
  writeFile(path.join(dir, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });

/**
 * Reads the manifest and checks every file against its sha256 before anything is restored:
 * a truncated copy or a changed byte is refused here, never half-restored.
 */
export const readVerifiedManifest = async (dir: string): Promise<Manifest> => {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, manifestFile), 'utf8');
  } catch {
    throw new BackupInvalidError(`${dir} is not a backup: ${manifestFile} is missing`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BackupInvalidError(`${manifestFile} is not valid JSON`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new BackupInvalidError(
      `${manifestFile} is not a manifest this version reads: ${result.error.issues[0]?.message ?? ''}`,
    );
  }
  const manifest = result.data;
  const listed = [
    manifest.events.file,
    ...manifest.tables.map((t) => t.file),
    ...(manifest.pgDump ? [manifest.pgDump.file] : []),
    ...(manifest.ledger ? [manifest.ledger.file] : []),
  ];
  for (const file of listed) {
    if (!manifest.checksums[file]) throw new BackupInvalidError(`${file} has no checksum in the manifest`);
  }
  for (const [file, expected] of Object.entries(manifest.checksums)) {
    const full = path.join(dir, file);
    if (path.relative(dir, full).startsWith('..'))
      throw new BackupInvalidError(`${file} points outside the backup`);
    const exists = await stat(full).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) throw new BackupInvalidError(`${file} is missing from the backup`);
    const actual = await sha256File(full);
    if (actual !== expected) {
      throw new BackupInvalidError(
        `${file} is corrupted: sha256 ${actual} differs from the manifest's ${expected}`,
      );
    }
  }
  return manifest;
};
