import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { projections } from '../../projections/registry.ts';
import { projectionStatuses } from '../../projections/runner/status.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { readLedger } from '../runtime/keys/shredding-ledger.ts';
import { sha256File } from './checksum.ts';
import { backupDataKeys, backupLiveApiKeys } from './copy-text.ts';
import { exportEvents } from './event-export.ts';
import {
  backupDirName,
  eventsFile,
  FORMAT_VERSION,
  ledgerCopyFile,
  type Manifest,
  pgDumpFile,
  type TableEntry,
} from './format.ts';
import { writeManifest } from './manifest.ts';
import { dumpSchema, serverVersion } from './pg-dump.ts';
import type { Progress } from './progress.ts';
import { pruneBackups } from './retention.ts';
import { exportTables } from './table-export.ts';
import { appliedMigrations, quoteIdent } from './tables.ts';

export type BackupOptions = {
  store: EventStore;
  pool: pg.Pool;
  url: string;
  schema: string;
  outDir: string;
  keepDays: number;
  app: { name: string; version: string };
  progress: Progress;
  now?: Date;
  /** Off in tests that must not depend on the machine's pg_dump. */
  pgDump?: boolean;
  /** Where the secret lives and its API key check value (see api-key-check.ts); recorded in the manifest. */
  secret?: { source: 'SECRET_KEY' | 'DATA_DIR/secret.key'; apiKeyCheck: string };
  /** The shredding ledger to copy into the backup, when it exists. */
  ledgerFile?: string;
};

export type BackupResult = {
  dir: string;
  manifest: Manifest;
  removed: string[];
  pgDumpSkipped: string | null;
};

/** Which ring keys wrap the backed-up data keys: counted from the exported rows themselves. */
const keysOf = async (
  dir: string,
  tables: readonly TableEntry[],
  secret: NonNullable<BackupOptions['secret']>,
): Promise<NonNullable<Manifest['keys']>> => {
  const byRingKey = new Map<string, number>();
  let destroyedDataKeys = 0;
  for (const row of await backupDataKeys(dir, tables)) {
    if (row.keyId === null) destroyedDataKeys++;
    else byRingKey.set(row.keyId, (byRingKey.get(row.keyId) ?? 0) + 1);
  }
  return {
    ringKeys: [...byRingKey]
      .map(([id, dataKeys]) => ({ id, dataKeys }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    destroyedDataKeys,
    secretSource: secret.source,
    apiKeyCheck: secret.apiKeyCheck,
    liveApiKeys: await backupLiveApiKeys(dir, tables),
  };
};

const readModelCounts = async (pool: pg.Pool, store: EventStore) => {
  const statuses = await projectionStatuses(pool, store, projections);
  return Promise.all(
    projections.map(async (definition) => {
      const tables: Record<string, number> = {};
      for (const table of definition.tables) {
        const { rows } = await pool
          .query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)
          .catch(() => ({ rows: [{ n: '0' }] }));
        tables[table] = Number(rows[0]!.n);
      }
      const lagEvents = statuses.find((s) => s.name === definition.name)?.lagEvents ?? null;
      return { projection: definition.name, lagEvents, tables };
    }),
  );
};

/**
 * Writes a backup into `<outDir>/salesai-backup-<UTC>/`: first under a `.partial` name, renamed
 * once the manifest is written, so a failed or interrupted run never looks like a backup (and
 * retention never counts it). Old backups are pruned only after success.
 */
export const createBackup = async (options: BackupOptions): Promise<BackupResult> => {
  const { store, pool, schema, progress } = options;
  const now = options.now ?? new Date();
  const name = backupDirName(now);
  const finalDir = path.join(options.outDir, name);
  const dir = `${finalDir}.partial`;
  // Owner only: a backup holds wrapped keys and personal data.
  await mkdir(options.outDir, { recursive: true, mode: 0o700 });
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  try {
    const server = await serverVersion(pool);
    const migrations = await appliedMigrations(pool, schema);
    const readModels = await readModelCounts(pool, store);

    const total = store.countEventsAfter
      ? await store.countEventsAfter({ commit: 0n, prepare: 0n }, Number.MAX_SAFE_INTEGER)
      : 0;
    progress.start('events', total);
    const events = await exportEvents(store, path.join(dir, eventsFile), (done) => progress.update(done));
    progress.update(events.count);
    progress.stop();
    progress.note(`events: ${events.count} in ${events.streams} streams`);

    let tablesStarted = false;
    const tables = await exportTables(pool, schema, dir, (done, all) => {
      if (!tablesStarted) progress.start('tables', all);
      tablesStarted = true;
      progress.update(done);
    });
    progress.stop();
    progress.note(`tables: ${tables.length} (${tables.reduce((n, t) => n + t.rows, 0)} rows)`);

    let pgDump: Manifest['pgDump'] = null;
    let pgDumpSkipped: string | null = 'disabled';
    if (options.pgDump !== false) {
      const dumped = await dumpSchema(options.url, schema, path.join(dir, pgDumpFile), server.major);
      if (dumped.dumped) {
        await chmod(path.join(dir, pgDumpFile), 0o600);
        pgDump = { file: pgDumpFile, tool: dumped.tool };
        pgDumpSkipped = null;
        progress.note(`pg_dump: ${pgDumpFile}`);
      } else {
        pgDumpSkipped = dumped.reason;
        progress.note(`pg_dump skipped (${dumped.reason}); the table export is complete without it`);
      }
    }

    let ledger: Manifest['ledger'] = null;
    const ledgerEntries = options.ledgerFile ? await readLedger(options.ledgerFile) : [];
    if (options.ledgerFile && ledgerEntries.length > 0) {
      await copyFile(options.ledgerFile, path.join(dir, ledgerCopyFile));
      await chmod(path.join(dir, ledgerCopyFile), 0o600);
      ledger = { file: ledgerCopyFile, entries: ledgerEntries.length };
    }

    const files = [
      eventsFile,
      ...tables.map((t) => t.file),
      ...(pgDump ? [pgDump.file] : []),
      ...(ledger ? [ledger.file] : []),
    ];
    const checksums: Record<string, string> = {};
    for (const file of files) checksums[file] = await sha256File(path.join(dir, file));

    const manifest: Manifest = {
      format: FORMAT_VERSION,
      app: options.app,
      createdAt: now.toISOString(),
      source: { store: store.kind, schema, serverVersion: server.text, migrations },
      events: { file: eventsFile, ...events },
      tables,
      readModels,
      pgDump,
      ...(options.secret ? { keys: await keysOf(dir, tables, options.secret) } : {}),
      ledger,
      checksums,
    };
    await writeManifest(dir, manifest);
    await rename(dir, finalDir);
    const removed = await pruneBackups(options.outDir, options.keepDays, now, [name]);
    return { dir: finalDir, manifest, removed, pgDumpSkipped };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
};
