import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import type { Env } from '../../../schemas/config.ts';

/**
 * forget-user's record of the data keys it destroyed, kept outside the database: a backup made
 * before a forget-user still holds the person's wrapped key, and restoring it would bring the
 * texts back. `restore` re-applies this ledger. It is a file (not a table) so that it survives the
 * loss of the database and can be carried to a new machine with the key escrow.
 */
const entrySchema = z.object({
  subjectId: z.string().min(1),
  /** Every generation up to this one is destroyed; a later one (the person wrote again) is not. */
  generation: z.number().int().positive(),
  at: z.string(),
});
export type LedgerEntry = z.infer<typeof entrySchema>;

export class LedgerInvalidError extends Error {
  override name = 'LedgerInvalidError';
}

export const ledgerFileName = 'shredding-ledger.ndjson';

export const ledgerFile = (env: Pick<Env, 'DATA_DIR' | 'SHREDDING_LEDGER'>) =>
  path.resolve(env.SHREDDING_LEDGER ?? path.join(env.DATA_DIR, ledgerFileName));

/** Appended and flushed to disk before the key is destroyed: the ledger never misses a forget. */
export const appendToLedger = async (file: string, entries: readonly LedgerEntry[]) => {
  if (entries.length === 0) return;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.writeFile(entries.map((e) => `${JSON.stringify(entrySchema.parse(e))}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** A missing file is an empty ledger; a line that is not an entry is refused with its number. */
export const readLedger = async (file: string): Promise<LedgerEntry[]> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: LedgerEntry[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: ReturnType<typeof entrySchema.safeParse>;
    try {
      parsed = entrySchema.safeParse(JSON.parse(line));
    } catch {
      parsed = entrySchema.safeParse(undefined);
    }
    if (!parsed.success)
      throw new LedgerInvalidError(`${file} line ${i + 1} is not a shredding ledger entry`);
    entries.push(parsed.data);
  }
  return entries;
};

/** The highest destroyed generation per subject. */
export const mergeLedgers = (...ledgers: (readonly LedgerEntry[])[]): Map<string, LedgerEntry> => {
  const merged = new Map<string, LedgerEntry>();
  for (const entry of ledgers.flat()) {
    const known = merged.get(entry.subjectId);
    if (!known || entry.generation > known.generation) merged.set(entry.subjectId, entry);
  }
  return merged;
};

/**
 * Destroys again every data key the ledger names, up to the generation it names. Run inside the
 * restore's table transaction, so the restored key is never readable in between.
 */
export const applyLedger = async (
  db: pg.ClientBase,
  ledger: ReadonlyMap<string, LedgerEntry>,
): Promise<string[]> => {
  if (ledger.size === 0) return [];
  const entries = [...ledger.values()];
  const { rows } = await db.query<{ subject_id: string }>(
    `UPDATE data_keys d SET key_id = NULL, wrapped_key = NULL, destroyed_at = coalesce(d.destroyed_at, l.at)
       FROM unnest($1::text[], $2::int[], $3::timestamptz[]) AS l(subject_id, generation, at)
      WHERE d.subject_id = l.subject_id AND d.generation <= l.generation AND d.wrapped_key IS NOT NULL
      RETURNING d.subject_id`,
    [entries.map((e) => e.subjectId), entries.map((e) => e.generation), entries.map((e) => e.at)],
  );
  return rows.map((r) => r.subject_id).sort();
};
