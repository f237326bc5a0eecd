import path from 'node:path';
import type { DataKeyRow } from '../../write/crypto/data-key-repository.ts';
import type { TableEntry } from './format.ts';
import { readGzipLines } from './ndjson-gzip.ts';

const escapes: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** One field of PostgreSQL's COPY text format: `\N` is null; backslash escapes as COPY writes them. */
const unescapeField = (field: string): string | null => {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x' && e.length > 1) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return escapes[e] ?? e;
  });
};

/** The rows of a table exported by `table-export.ts`, as column → text (null for SQL NULL). */
export async function* copyRows(
  dir: string,
  table: TableEntry,
): AsyncGenerator<Record<string, string | null>> {
  for await (const line of readGzipLines(path.join(dir, table.file))) {
    const fields = line.split('\t').map(unescapeField);
    yield Object.fromEntries(table.columns.map((c, i) => [c, fields[i] ?? null]));
  }
}

/** bytea in its text output form (`\x0a0b…`). */
const bytea = (text: string | null): Buffer | null =>
  text === null ? null : Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex');

/** The `data_keys` rows of a backup (empty when it has no such table). */
export const backupDataKeys = async (
  dir: string,
  tables: readonly TableEntry[],
): Promise<Pick<DataKeyRow, 'subjectId' | 'generation' | 'keyId' | 'wrappedKey'>[]> => {
  const table = tables.find((t) => t.name === 'data_keys');
  if (!table) return [];
  const rows: Pick<DataKeyRow, 'subjectId' | 'generation' | 'keyId' | 'wrappedKey'>[] = [];
  for await (const r of copyRows(dir, table))
    rows.push({
      subjectId: r.subject_id!,
      generation: Number(r.generation),
      keyId: r.key_id ?? null,
      wrappedKey: bytea(r.wrapped_key ?? null),
    });
  return rows;
};

/** How many API keys made with the CLI are live in a backup (their hashes need the source's SECRET_KEY). */
export const backupLiveApiKeys = async (dir: string, tables: readonly TableEntry[]): Promise<number> => {
  const table = tables.find((t) => t.name === 'api_keys');
  if (!table) return 0;
  let live = 0;
  for await (const r of copyRows(dir, table)) if (r.revoked_at === null) live++;
  return live;
};
