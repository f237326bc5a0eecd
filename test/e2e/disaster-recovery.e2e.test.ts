import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../ops/backup/format.ts';
import { resolveSecretKey } from '../../ops/runtime/config.ts';
import { keyRingFromEnv } from '../../ops/runtime/keys/key-ring.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import { parseEnv } from '../../schemas/config.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { deriveRingKey } from '../../write/crypto/key-ring.ts';
import { FORGOTTEN, UNREADABLE } from '../../write/crypto/sealed-text.ts';
import { type EventStore, START } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { runCli, startServe } from '../helpers/process.ts';
import { keyed } from '../security/harness.ts';

type Vars = Record<string, string>;

const openStore = (db: TestDatabase) =>
  createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });

/** Every event of a store decoded with the ring of `env` (as that environment's server would). */
const decodedEvents = async (db: TestDatabase, store: EventStore, env: Vars) => {
  const { codec } = keyed(db, await keyRingFromEnv(parseEnv(env)));
  const out = new Map<string, { type: string; data: Record<string, unknown> }>();
  let after = START;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 1000 });
    if (batch.length === 0) return out;
    for (const record of batch) {
      const event = await codec.decode(record);
      out.set(record.id, { type: event.type, data: event.data as Record<string, unknown> });
    }
    after = batch.at(-1)!.position;
  }
};

/** Each message of each session, `session#seq: text`, as the events say. */
const eventTranscripts = (events: Map<string, { type: string; data: Record<string, unknown> }>) =>
  [...events.values()]
    .filter((e) => e.type === 'MessageReceived')
    .map((e) => `${e.data.sessionId}#${e.data.seq}: ${e.data.text}`)
    .sort();

/** The same from the read tables, opened with the ring of `env` (as the read API serves them). */
const tableTranscripts = async (db: TestDatabase, env: Vars) => {
  const { personal } = keyed(db, await keyRingFromEnv(parseEnv(env)));
  const { rows } = await db.pool.query<{ session_id: string; seq: number; text: string }>(
    'SELECT session_id, seq, text FROM dialogue_messages',
  );
  return (
    await Promise.all(rows.map(async (r) => `${r.session_id}#${r.seq}: ${await personal.open(r.text)}`))
  ).sort();
};

const counts = async (db: TestDatabase) => {
  const n = async (table: string) =>
    Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return {
    events: await n('es_events'),
    dataKeys: await n('data_keys'),
    apiKeys: await n('api_keys'),
    checkpoints: await n('agent_checkpoints'),
  };
};

/** `KEY=value` lines of an escrow file, as `.env` would read them. */
const envFile = (text: string): Vars => {
  const vars: Vars = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
};

const modes = async (dir: string) => {
  const out: Record<string, number> = { '.': (await stat(dir)).mode & 0o777 };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = (await stat(full)).mode & 0o777;
  }
  return out;
};

describe('disaster recovery: back up on one machine, restore on a new one', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let tmp: string;
  let envA: Vars;
  let backupDir: string;
  let demoKey: string;
  let ringId: string;
  let escrow: Vars;

  const envOn = (db: TestDatabase, dataDir: string, extra: Vars = {}): Vars => ({
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    DATA_DIR: dataDir,
    USE_MOCK_LLM: 'true',
    // The test Postgres is shared: each process takes a few connections, not the default 60.
    DATABASE_POOL_SIZE: '4',
    DATABASE_MAX_OVERFLOW: '0',
    ...extra,
  });

  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'salesai-dr-'));
    // The embedded defaults: no SECRET_KEY, so the secret is generated into DATA_DIR/secret.key.
    envA = envOn(source, path.join(tmp, 'machine-a'));
    const demo = await runCli(['demo'], envA, 180_000);
    expect(demo.code, demo.stderr).toBe(0);
    demoKey = /\b(sk_[A-Za-z0-9_-]+)/.exec(demo.stdout)![1]!;
    const secret = (await readFile(path.join(envA.DATA_DIR!, 'secret.key'), 'utf8')).trim();
    ringId = deriveRingKey(secret).id;
  }, 240_000);

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('backup: owner-only files, the manifest names the ring key, the operator is told where the secret lives; one line per step without a TTY', async () => {
    const backup = await runCli(['backup', '--no-pg-dump'], envA, 180_000);
    expect(backup.code, backup.stderr).toBe(0);
    const [name] = await readdir(path.join(envA.DATA_DIR!, 'backups'));
    backupDir = path.join(envA.DATA_DIR!, 'backups', name!);

    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.keys).toMatchObject({
      ringKeys: [{ id: ringId, dataKeys: 6 }],
      destroyedDataKeys: 0,
      secretSource: 'DATA_DIR/secret.key',
      liveApiKeys: 1,
    });
    expect(backup.stdout).toContain(`sealed with ring keys: ${ringId} (6 data keys)`);
    expect(backup.stdout).toContain(`ONLY in ${path.resolve(envA.DATA_DIR!, 'secret.key')}`);
    expect(backup.stdout).toContain('npx salesai keys export --out <file>');

    const found = await modes(backupDir);
    expect(Object.keys(found).length).toBeGreaterThan(5);
    for (const [file, mode] of Object.entries(found))
      expect([file, mode.toString(8)]).toEqual([file, file === '.' || file === 'tables' ? '700' : '600']);
    expect((await stat(path.join(envA.DATA_DIR!, 'backups'))).mode & 0o777).toBe(0o700);

    // stderr is a pipe here: each step once, no line repeated.
    const lines = backup.stderr.trim().split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.filter((l) => l.startsWith('tables')).length).toBe(1);
    expect(lines.filter((l) => l.startsWith('events')).length).toBe(1);
  });

  it('restore with another secret, or with none: refused with exit 2 and one line naming the ring key; the target stays empty', async () => {
    const other = envOn(target, path.join(tmp, 'machine-b'), { SECRET_KEY: 'b'.repeat(64) });
    const none = envOn(target, path.join(tmp, 'machine-b'));
    for (const env of [other, none]) {
      const refused = await runCli(['restore', backupDir], env, 180_000);
      expect(refused.code, refused.stdout).toBe(2);
      // One line says it all (the lines before it are the steps done: the checksums verified).
      const refusals = refused.stderr.split('\n').filter((l) => l.startsWith('restore refused'));
      expect(refusals).toHaveLength(1);
      const line = refusals[0]!;
      expect(line).toMatch(/^restore refused: this environment cannot read the backup: /);
      expect(line).toContain(`ring key ${ringId} (6 data keys)`);
      for (const way of ['SECRET_KEY', 'ENCRYPTION_KEYS', 'salesai keys export', 'DATA_DIR/secret.key'])
        expect(line).toContain(way);
      expect(await counts(target)).toEqual({ events: 0, dataKeys: 0, apiKeys: 0, checkpoints: 0 });
    }
    // Refusing invented no secret on the new machine.
    await expect(stat(path.join(tmp, 'machine-b', 'secret.key'))).rejects.toThrow();
  });

  it('keys export writes the escrow: a new 0600 file, in the form SECRET_KEY and ENCRYPTION_KEYS accept', async () => {
    const file = path.join(tmp, 'escrow', 'salesai-keys.env');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file)));
    const exported = await runCli(['keys', 'export', '--out', file], envA);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/secret/i);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    escrow = envFile(await readFile(file, 'utf8'));
    expect(Object.keys(escrow).sort()).toEqual(['ENCRYPTION_KEYS', 'SECRET_KEY']);
    expect(escrow.ENCRYPTION_KEYS).toMatch(new RegExp(`^${ringId}:[A-Za-z0-9+/]{43}=$`));
    expect(() => parseEnv(escrow)).not.toThrow();

    const again = await runCli(['keys', 'export', '--out', file], envA);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not overwritten');
    const toStdout = await runCli(['keys', 'export'], envA);
    expect(envFile(toStdout.stdout)).toEqual(escrow);
    const status = await runCli(['keys', 'status'], envA);
    expect(status.stdout).toContain(`secret: only in ${path.resolve(envA.DATA_DIR!, 'secret.key')}`);
  });

  it("restore with the escrowed keys: every text equals the source's, a sample was opened, the API key is valid", async () => {
    const envB = envOn(target, path.join(tmp, 'machine-b'), escrow);
    const restored = await runCli(['restore', backupDir], envB, 300_000);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).not.toContain('BAD');
    expect(restored.stdout).toMatch(/ok {2}texts opened \(sample\): (\d+) \(sampled: \1\)/);
    expect(restored.stderr).toContain(
      'keys: this environment opens all 6 data keys of the backup; its 1 API keys verify here',
    );

    const sourceStore = openStore(source);
    const targetStore = openStore(target);
    try {
      const before = await decodedEvents(source, sourceStore, envA);
      const after = await decodedEvents(target, targetStore, envB);
      expect(after.size).toBe(before.size);
      expect(Object.fromEntries(after)).toEqual(Object.fromEntries(before));
      // Every session's text, from the events and from the rebuilt read tables, is the source's.
      const texts = eventTranscripts(before);
      expect(texts.length).toBeGreaterThan(50);
      expect(
        texts.some((t) => t.includes(UNREADABLE) || t.includes(FORGOTTEN) || t.includes('enc:v1:')),
      ).toBe(false);
      expect(eventTranscripts(after)).toEqual(texts);
      expect(await tableTranscripts(target, envB)).toEqual(texts);
    } finally {
      await sourceStore.close();
      await targetStore.close();
    }

    const verifier = createApiKeyVerifier({
      db: target.pool,
      pepper: apiKeyPepper(await resolveSecretKey(parseEnv(envB))),
      logger: silentLogger,
    });
    expect(await verifier.verify(demoKey)).toMatchObject({ name: 'demo', scope: 'ops' });
  });

  it("a server on the restored data without the source's secret says so: 503 KEY_UNAVAILABLE, health down, a log line at start", async () => {
    const opsKey = 'ops-key-0123456789abcdef';
    const server = await startServe(
      envOn(target, path.join(tmp, 'machine-b-wrong'), {
        SECRET_KEY: 'c'.repeat(64),
        API_KEYS: `ops:ops:${opsKey}`,
      }),
    );
    try {
      const auth = { Authorization: `Bearer ${opsKey}` };
      const { rows } = await target.pool.query<{ session_id: string }>(
        'SELECT session_id FROM dialogue_sessions ORDER BY session_id LIMIT 1',
      );
      const session = await fetch(`${server.baseUrl}/api/v1/sessions/${rows[0]!.session_id}`, {
        headers: auth,
      });
      expect(session.status).toBe(503);
      const body = (await session.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('KEY_UNAVAILABLE');
      expect(body.error.message).toContain(`ring key ${ringId}`);
      const health = await fetch(`${server.baseUrl}/api/v1/health/detailed`, { headers: auth });
      expect(health.status).toBe(503);
      const detailed = (await health.json()) as {
        components: Record<string, { status: string; detail?: string }>;
      };
      expect(detailed.components.encryptionKeys).toMatchObject({ status: 'down' });
      expect(detailed.components.encryptionKeys!.detail).toContain(ringId);
      expect(server.output()).toContain('KEY_UNAVAILABLE: data keys wrapped by ring key');
    } finally {
      await server.stop();
    }
  });

  it('a forget-user after the backup survives restoring that older backup: the shredding ledger is re-applied', async () => {
    const forgotten = 'U0DEMO002';
    const forget = await runCli(['forget-user', forgotten, '--yes'], envA, 120_000);
    expect(forget.code, forget.stderr).toBe(0);
    const ledger = path.join(envA.DATA_DIR!, 'shredding-ledger.ndjson');
    expect((await stat(ledger)).mode & 0o777).toBe(0o600);

    // A third machine restores the backup made before the forget, given the ledger.
    const third = await createTestDatabase();
    try {
      const envC = envOn(third, path.join(tmp, 'machine-c'), escrow);
      const restored = await runCli(['restore', backupDir, '--ledger', ledger], envC, 300_000);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain('forgotten users re-applied from the shredding ledger: 1');
      expect(restored.stdout).not.toContain('BAD');
      const { rows } = await third.pool.query<{ wrapped: boolean }>(
        'SELECT wrapped_key IS NOT NULL AS wrapped FROM data_keys WHERE subject_id = $1',
        [forgotten],
      );
      expect(rows).toEqual([{ wrapped: false }]);
      const texts = await tableTranscripts(third, envC);
      const { rows: theirs } = await third.pool.query<{ session_id: string }>(
        'SELECT DISTINCT session_id FROM dialogue_messages WHERE user_id = $1',
        [forgotten],
      );
      expect(theirs.length).toBeGreaterThan(0);
      for (const { session_id } of theirs)
        for (const t of texts.filter((x) => x.startsWith(`${session_id}#`)))
          expect(t).toMatch(/: \[forgotten\]$/);
      expect(texts.filter((t) => !t.endsWith(FORGOTTEN)).length).toBeGreaterThan(0);
      // The new machine's own ledger now holds the entry, for its next restore.
      expect(await readFile(path.join(tmp, 'machine-c', 'shredding-ledger.ndjson'), 'utf8')).toContain(
        forgotten,
      );
    } finally {
      await third.drop();
    }
  });
});
