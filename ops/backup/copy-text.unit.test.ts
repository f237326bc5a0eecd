import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataKeys, backupLiveApiKeys, copyRows } from './copy-text.ts';
import type { TableEntry } from './format.ts';
import { openGzipLineWriter } from './ndjson-gzip.ts';

let dir: string;
const table = (name: string, columns: string[]): TableEntry => ({
  name,
  file: `${name}.copy.gz`,
  columns,
  rows: 0,
  restore: true,
});
const write = async (entry: TableEntry, lines: string[]) => {
  const writer = openGzipLineWriter(path.join(dir, entry.file));
  for (const line of lines) await writer.write(line);
  await writer.close();
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-copy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('COPY text rows of a backup', () => {
  it('reads NULL, escapes and bytea as PostgreSQL writes them', async () => {
    const t = table('t', ['a', 'b', 'c']);
    await write(t, ['x\\ty\\\\z\t\\N\t\\\\x0aff', 'line\\nbreak\t\\101\t']);
    const rows = [];
    for await (const row of copyRows(dir, t)) rows.push(row);
    expect(rows).toEqual([
      { a: 'x\ty\\z', b: null, c: '\\x0aff' },
      { a: 'line\nbreak', b: 'A', c: '' },
    ]);
  });

  it('gives the data keys (live and destroyed) and counts live API keys', async () => {
    const keys = table('data_keys', ['subject_id', 'generation', 'key_id', 'wrapped_key', 'created_at']);
    await write(keys, ['U1\t1\tk1\t\\\\x0102ff\t2026-01-01', 'U2\t3\t\\N\t\\N\t2026-01-01']);
    expect(await backupDataKeys(dir, [keys])).toEqual([
      { subjectId: 'U1', generation: 1, keyId: 'k1', wrappedKey: Buffer.from([1, 2, 255]) },
      { subjectId: 'U2', generation: 3, keyId: null, wrappedKey: null },
    ]);
    const api = table('api_keys', ['id', 'name', 'revoked_at']);
    await write(api, ['1\ta\t\\N', '2\tb\t2026-01-01 00:00:00+00', '3\tc\t\\N']);
    expect(await backupLiveApiKeys(dir, [api])).toBe(2);
    expect(await backupDataKeys(dir, [])).toEqual([]);
  });
});
