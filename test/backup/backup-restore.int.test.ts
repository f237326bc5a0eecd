import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../ops/backup/backup.ts';
import { backupDirName } from '../../ops/backup/format.ts';
import { BackupInvalidError } from '../../ops/backup/manifest.ts';
import { createProgress } from '../../ops/backup/progress.ts';
import { RestoreRefusedError, restoreBackup } from '../../ops/backup/restore.ts';
import { pruneBackups } from '../../ops/backup/retention.ts';
import { startProjectors } from '../../ops/runtime/projectors.ts';
import { createMemoryCache } from '../../projections/cache/memory.ts';
import { safeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { handleDialogueCommand } from '../../write/dialogue/handle.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import {
  comparePositions,
  type EventStore,
  type RecordedEvent,
  START,
} from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { restoreTarget } from '../helpers/restore-target.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { dumpProjection } from '../helpers/tables.ts';
import { waitFor } from '../helpers/wait.ts';

const openStore = (db: TestDatabase) =>
  createPostgresEventStore({
    pool: db.pool,
    schema: db.schema,
    listenConfig: db.listenConfig,
    pollIntervalMs: 50,
  });

const readEverything = async (store: EventStore) => {
  const out: RecordedEvent[] = [];
  let after = START;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 1000 });
    if (batch.length === 0) return out;
    out.push(...batch);
    after = batch[batch.length - 1]!.position;
  }
};

/** What must survive a restore: everything but the store's own position numbers. */
const comparable = (e: RecordedEvent) => ({
  id: e.id,
  streamId: e.streamId,
  revision: e.revision.toString(),
  type: e.type,
  version: e.version,
  data: e.data,
  metadata: e.metadata,
  createdAt: e.createdAt.toISOString(),
});

/**
 * Read rows with the store positions they were applied at left out: a restored store numbers
 * its events anew (the order is the same), so only those columns may differ.
 */
const readRows = async (db: TestDatabase) => {
  const out: Record<string, unknown[]> = {};
  for (const p of projections) {
    for (const [table, rows] of Object.entries(await dumpProjection(db.pool, p))) {
      out[table] = rows
        .map((r) => {
          const row = JSON.parse(r as string) as Record<string, unknown>;
          for (const key of Object.keys(row)) if (key.endsWith('_position')) delete row[key];
          return JSON.stringify(row);
        })
        .sort();
    }
  }
  return out;
};

const quiet = createProgress(process.stderr, true);

describe('backup and restore (Postgres store)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let sourceStore: EventStore;
  let targetStore: EventStore;
  let out: string;
  let backupDir: string;

  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createTestDatabase();
    sourceStore = openStore(source);
    targetStore = openStore(target);
    out = await mkdtemp(path.join(os.tmpdir(), 'salesai-backup-'));

    await appendGenerated(
      sourceStore,
      generateDialogues({ users: 6, sessionsPerUser: 3, exchangesPerSession: 3 }),
    );
    // A DM written through the command handler: a stream per session and the conversation stream.
    const conversation = {
      id: 'T1:DBACKUP:dm',
      teamId: 'T1',
      channelId: 'DBACKUP',
      channelKind: 'im' as const,
      threadTs: null,
    };
    for (const [n, minute] of [
      [1, 0],
      [2, 1],
      [3, 90],
      [4, 91],
    ] as const) {
      const sentAt = new Date(Date.UTC(2026, 4, 1, 9, minute)).toISOString();
      await handleDialogueCommand(
        { store: sourceStore, codec: plainCodec, inactivityMs: 30 * 60_000 },
        {
          type: 'ReceiveUserMessage',
          conversation,
          userId: 'UBACKUP',
          messageId: `1777626000.00000${n}`,
          text: `m${n}`,
          sentAt,
        },
        {
          idempotencyKey: `backup:${n}`,
          correlationId: `backup:${n}`,
          causationId: null,
          now: sentAt,
          actor: { kind: 'user', id: 'UBACKUP' },
        },
      );
    }
    // State that is not in the events: an API key row and the agent's checkpoint.
    await source.pool.query(
      `INSERT INTO api_keys (id, name, scope, prefix, hash) VALUES ('00000000-0000-4000-8000-000000000001', 'ops-1', 'ops', '0123456789ab', '\\x0102ff')`,
    );
    const tail = await storeTail(source.pool);
    await source.pool.query(
      'INSERT INTO agent_checkpoints (name, commit_position, prepare_position) VALUES ($1, $2, $3)',
      ['agent', tail.commit.toString(), tail.prepare.toString()],
    );

    const projectors = startProjectors({
      pool: source.pool,
      lockConfig: source.listenConfig,
      store: sourceStore,
      codec: plainCodec,
      logger: silentLogger,
      cache: safeCache(createMemoryCache(), { logger: silentLogger }),
    });
    try {
      for (const p of projections) {
        await waitFor(async () => {
          const live = await findGeneration(source.pool, p.name, 'live');
          return live !== null && comparePositions(live.position, tail) >= 0;
        }, 60_000);
      }
    } finally {
      await projectors.stop();
    }
  });

  afterAll(async () => {
    await sourceStore?.close();
    await targetStore?.close();
    await source?.drop();
    await target?.drop();
    await rm(out, { recursive: true, force: true });
  });

  it('backs up with a manifest of counts and checksums', async () => {
    const result = await createBackup({
      store: sourceStore,
      pool: source.pool,
      url: source.url,
      schema: source.schema,
      outDir: out,
      keepDays: 30,
      app: { name: 'test', version: '0.0.0' },
      progress: quiet,
    });
    backupDir = result.dir;
    const m = result.manifest;
    expect(m.events.count).toBe((await readEverything(sourceStore)).length);
    expect(m.events.streams).toBeGreaterThan(0);
    expect(m.tables.find((t) => t.name === 'api_keys')).toMatchObject({ rows: 1, restore: true });
    expect(m.tables.some((t) => t.name === 'es_events')).toBe(false);
    expect(Object.keys(m.checksums)).toContain('events.ndjson.gz');
    expect(m.readModels.every((r) => r.lagEvents === 0)).toBe(true);
    // The local pg_dump matches the test server's major version on the CI machines; when it
    // does not, the backup says why it skipped it.
    if (m.pgDump) expect(Object.keys(m.checksums)).toContain(m.pgDump.file);
  });

  it('restores into an empty schema: identical events and read models', async () => {
    const result = await restoreBackup({
      dir: backupDir,
      ...restoreTarget(target, targetStore),
      force: false,
    });
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);

    const before = await readEverything(sourceStore);
    const after = await readEverything(targetStore);
    // Same events in the same global order (and so the same per-stream order).
    expect(after.map(comparable)).toEqual(before.map(comparable));
    const restoredRows = await readRows(target);
    expect(restoredRows).toEqual(await readRows(source));
    expect(Object.values(restoredRows).some((rows) => rows.length > 0)).toBe(true);
    const { rows: keys } = await target.pool.query('SELECT id, name, scope, prefix, hash FROM api_keys');
    expect(keys).toEqual(
      (await source.pool.query('SELECT id, name, scope, prefix, hash FROM api_keys')).rows,
    );
    // The agent's checkpoint now points at the same event, in the target's numbering.
    const { rows: cp } = await target.pool.query<{ c: string; p: string }>(
      "SELECT commit_position::text AS c, prepare_position::text AS p FROM agent_checkpoints WHERE name = 'agent'",
    );
    const last = after[after.length - 1]!.position;
    expect(cp[0]).toEqual({ c: last.commit.toString(), p: last.prepare.toString() });
  });

  it('refuses a non-empty store without --force; with --force adds nothing twice', async () => {
    const options = {
      dir: backupDir,
      ...restoreTarget(target, targetStore),
    };
    await expect(restoreBackup({ ...options, force: false })).rejects.toBeInstanceOf(RestoreRefusedError);
    const before = await readEverything(targetStore);
    const forced = await restoreBackup({ ...options, force: true });
    expect(forced.appended).toBe(0);
    expect(forced.present).toBe(before.length);
    expect(forced.ok).toBe(true);
    expect((await readEverything(targetStore)).length).toBe(before.length);
  });

  it('refuses a tampered backup before touching the store', async () => {
    const copy = path.join(out, 'tampered');
    await mkdir(copy);
    for (const entry of await readdir(backupDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = path.relative(backupDir, path.join(entry.parentPath, entry.name));
      await mkdir(path.dirname(path.join(copy, rel)), { recursive: true });
      const { readFile } = await import('node:fs/promises');
      const bytes = await readFile(path.join(backupDir, rel));
      if (rel === 'events.ndjson.gz') bytes[bytes.length - 5] = (bytes[bytes.length - 5]! + 1) % 256;
      await writeFile(path.join(copy, rel), bytes);
    }
    const fresh = await createTestDatabase();
    const freshStore = openStore(fresh);
    try {
      const attempt = restoreBackup({
        dir: copy,
        ...restoreTarget(fresh, freshStore),
        force: false,
      });
      await expect(attempt).rejects.toBeInstanceOf(BackupInvalidError);
      await expect(attempt).rejects.toThrow(/events\.ndjson\.gz is corrupted/);
      expect(await freshStore.readAll({ maxCount: 1 })).toEqual([]);
    } finally {
      await freshStore.close();
      await fresh.drop();
    }
  });
});

describe('retention', () => {
  it('removes only backups older than the limit, and nothing else', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-retention-'));
    try {
      const now = new Date(Date.UTC(2026, 2, 1, 2, 0, 0));
      const day = 86_400_000;
      const names = [40, 31, 29, 1].map((d) => backupDirName(new Date(now.getTime() - d * day)));
      for (const n of names) await mkdir(path.join(dir, n));
      await mkdir(path.join(dir, 'not-a-backup'));
      await mkdir(path.join(dir, `${backupDirName(new Date(now.getTime() - 90 * day))}.partial`));
      const removed = await pruneBackups(dir, 30, now);
      expect(removed).toEqual([names[0], names[1]].sort());
      expect((await readdir(dir)).sort()).toEqual(
        [
          names[2]!,
          names[3]!,
          'not-a-backup',
          `${backupDirName(new Date(now.getTime() - 90 * day))}.partial`,
        ].sort(),
      );
      expect(await pruneBackups(dir, 0, now)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
