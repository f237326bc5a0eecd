import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../ops/backup/backup.ts';
import type { RestoreKeys } from '../../ops/backup/key-check.ts';
import { createProgress } from '../../ops/backup/progress.ts';
import { RestoreKeysError, restoreBackup } from '../../ops/backup/restore.ts';
import { apiKeyCheck } from '../../ops/runtime/keys/api-key-check.ts';
import { createDataKeys } from '../../write/crypto/data-keys.ts';
import { keyRing, type RingKey } from '../../write/crypto/key-ring.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { restoreTarget } from '../helpers/restore-target.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { waitFor } from '../helpers/wait.ts';

const quiet = createProgress(process.stderr, true);
const k1: RingKey = { id: 'k1', key: randomBytes(32) };
const secretA = 'a'.repeat(64);

const openStore = (db: TestDatabase) =>
  createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });

const rowCounts = async (db: TestDatabase) => {
  const n = async (table: string) =>
    Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return { events: await n('es_events'), dataKeys: await n('data_keys'), apiKeys: await n('api_keys') };
};

describe('restore proves the keys before writing', () => {
  let source: TestDatabase;
  let out: string;
  let backupDir: string;

  beforeAll(async () => {
    source = await createTestDatabase();
    out = await mkdtemp(path.join(os.tmpdir(), 'salesai-restore-keys-'));
    const store = openStore(source);
    try {
      await appendGenerated(
        store,
        generateDialogues({ users: 2, sessionsPerUser: 1, exchangesPerSession: 1 }),
      );
      // A backup takes the events readers can see; on a busy shared cluster that may lag the tail.
      const tail = await storeTail(source.pool);
      await waitFor(async () => comparePositions(await store.headPosition(), tail) >= 0);
      const dataKeys = createDataKeys(postgresDataKeys(source.pool), keyRing([k1]));
      await dataKeys.forWriting('U1');
      await dataKeys.forWriting('U2');
      await source.pool.query(
        `INSERT INTO api_keys (id, name, scope, prefix, hash) VALUES ('00000000-0000-4000-8000-000000000001', 'ops-1', 'ops', '0123456789ab', '\\x0102ff')`,
      );
      const result = await createBackup({
        store,
        pool: source.pool,
        url: source.url,
        schema: source.schema,
        outDir: out,
        keepDays: 0,
        app: { name: 'test', version: '0.0.0' },
        progress: quiet,
        pgDump: false,
        secret: { source: 'SECRET_KEY', apiKeyCheck: apiKeyCheck(secretA) },
      });
      backupDir = result.dir;
      expect(result.manifest.keys).toMatchObject({ ringKeys: [{ id: 'k1', dataKeys: 2 }], liveApiKeys: 1 });
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await source?.drop();
    await rm(out, { recursive: true, force: true });
  });

  const restoreInto = async (keys: RestoreKeys, extra: { withoutApiKeys?: boolean } = {}) => {
    const target = await createTestDatabase();
    const store = openStore(target);
    try {
      const result = await restoreBackup({
        dir: backupDir,
        ...restoreTarget(target, store),
        force: false,
        keys,
        ...extra,
      }).catch((error: unknown) => error as Error);
      return { result, counts: await rowCounts(target) };
    } finally {
      await store.close();
      await target.drop();
    }
  };

  /** Refused with every fragment in its message, and the target left empty. */
  const expectRefused = async (keys: RestoreKeys, fragments: string[]) => {
    const { result, counts } = await restoreInto(keys);
    expect(result).toBeInstanceOf(RestoreKeysError);
    for (const fragment of fragments) expect((result as Error).message).toContain(fragment);
    expect(counts).toEqual({ events: 0, dataKeys: 0, apiKeys: 0 });
  };

  it('a ring key with the right id but other key material is found by unwrapping: refused, nothing written', () =>
    expectRefused(
      {
        byId: (id) => (id === 'k1' ? { id: 'k1', key: randomBytes(32) } : undefined),
        apiKeyCheck: apiKeyCheck(secretA),
        secretFile: '/new/data/secret.key',
      },
      [
        "ring key k1 (2 data keys, present here with other key material), which this environment's key ring cannot open",
        '/new/data/secret.key',
      ],
    ));

  it('the data keys open but the API keys were hashed under another SECRET_KEY: refused, --without-api-keys offered', () =>
    expectRefused(
      {
        byId: (id) => (id === 'k1' ? k1 : undefined),
        apiKeyCheck: apiKeyCheck('b'.repeat(64)),
        secretFile: '/new/data/secret.key',
      },
      ['its 1 API key(s) made with the CLI were hashed under another SECRET_KEY', '--without-api-keys'],
    ));

  it('with --without-api-keys the rest is restored and checked; the API keys are left out', async () => {
    const { result, counts } = await restoreInto(
      { byId: (id) => (id === 'k1' ? k1 : undefined), apiKeyCheck: null, secretFile: '/new/data/secret.key' },
      { withoutApiKeys: true },
    );
    if (result instanceof Error) throw result;
    expect((result as { ok: boolean }).ok).toBe(true);
    expect(counts).toMatchObject({ dataKeys: 2, apiKeys: 0 });
    expect(counts.events).toBeGreaterThan(0);
  });
});
