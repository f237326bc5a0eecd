import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseBackupDirName } from './format.ts';

/**
 * Removes backup directories under `dir` older than `keepDays` (0 keeps all). Only directories
 * named like our backups are touched, and their age comes from the name (UTC), not from mtime,
 * which copies and restores of the backup disk change.
 */
export const pruneBackups = async (
  dir: string,
  keepDays: number,
  now = new Date(),
  keep: readonly string[] = [],
) => {
  if (keepDays <= 0) return [];
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const removed: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || keep.includes(entry.name)) continue;
    const at = parseBackupDirName(entry.name);
    if (!at || at.getTime() >= cutoff) continue;
    await rm(path.join(dir, entry.name), { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed.sort();
};
