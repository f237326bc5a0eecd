import path from 'node:path';
import type pg from 'pg';
import { projections } from '../../projections/registry.ts';
import type { Logger } from '../../schemas/logger.ts';
import { type EventCodec, plainCodec } from '../../write/event-store/codec.ts';
import { comparePositions, type EventStore, type Position, START } from '../../write/event-store/port.ts';
import {
  appendToLedger,
  applyLedger,
  type LedgerEntry,
  mergeLedgers,
  readLedger,
} from '../runtime/keys/shredding-ledger.ts';
import { CheckpointMap } from './checkpoint-map.ts';
import {
  type ImportResult,
  importIntoPostgres,
  importThroughPort,
  RestoreConflictError,
} from './event-import.ts';
import type { Manifest } from './format.ts';
import { checkBackupKeys, type KeyCheck, keyRefusal, type RestoreKeys } from './key-check.ts';
import { readVerifiedManifest } from './manifest.ts';
import { type OpenedSample, openSample, sealedEventSample } from './open-sample.ts';
import type { Progress } from './progress.ts';
import { rebuildReadModels } from './rebuild-read-models.ts';
import { backupCheckpoints, importTables, type TableImport } from './table-import.ts';
import { quoteIdent } from './tables.ts';

export type RestoreOptions = {
  dir: string;
  store: EventStore;
  pool: pg.Pool;
  lockConfig: pg.ClientConfig;
  schema: string;
  logger: Logger;
  progress: Progress;
  force: boolean;
  /**
   * The codec to project with, opened once the state tables (data keys among them) are back;
   * the plain one when omitted.
   */
  openCodec?: () => Promise<EventCodec>;
  /**
   * This environment's keys: with them, restore first proves it can open every data key of the
   * backup (and verify its API keys) and refuses otherwise. Omitted: no such proof (plain data).
   */
  keys?: RestoreKeys;
  /** Leave the backup's API keys out (they need the source's SECRET_KEY); new ones are made afterwards. */
  withoutApiKeys?: boolean;
  /**
   * Shredding ledgers to re-apply (this environment's and any given), and the file this
   * environment keeps its own in: what was applied is added there.
   */
  ledger?: { entries: readonly LedgerEntry[]; file: string };
  /** Sealed events opened after the restore as part of the check. */
  sampleSize?: number;
};

/** `against`: what `expected` counts, when not the backup's figure (e.g. the texts sampled). */
export type Check = { what: string; expected: number; actual: number; ok: boolean; against?: string };

export type RestoreResult = {
  manifest: Manifest;
  appended: number;
  present: number;
  tables: TableImport[];
  checks: Check[];
  keyCheck: KeyCheck | null;
  /** Subjects whose restored data key the shredding ledger destroyed again. */
  reforgotten: string[];
  opened: OpenedSample;
  ok: boolean;
};

export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError';
}

/** This environment's keys do not open the backup: nothing was written. */
export class RestoreKeysError extends RestoreRefusedError {
  override name = 'RestoreKeysError';
}

/** Counts events and streams, and keeps a sample of events holding sealed text to open. */
const countEvents = async (store: EventStore, sampleSize: number) => {
  let count = 0;
  const streams = new Set<string>();
  const sample = sealedEventSample(sampleSize);
  let after = START;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 2000 });
    if (batch.length === 0) return { count, streams: streams.size, sample: sample.records };
    for (const e of batch) {
      streams.add(e.streamId);
      sample.offer(e);
    }
    count += batch.length;
    after = batch[batch.length - 1]!.position;
  }
};

/**
 * The Postgres store shows readers only transactions older than every one still open in the
 * cluster; wait until the restored events are all visible before replaying and counting them.
 */
const waitUntilVisible = async (store: EventStore, last: Position, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (comparePositions(await store.headPosition(), last) < 0) {
    if (Date.now() > deadline)
      throw new Error('the restored events did not become visible: is a long transaction open?');
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * Verify, refuse a non-empty target unless forced, restore the events (order and ids kept),
 * the state tables, rebuild the read models from the events, and compare with the manifest.
 */
export const restoreBackup = async (options: RestoreOptions): Promise<RestoreResult> => {
  const { dir, store, pool, progress, force } = options;
  const manifest = await readVerifiedManifest(dir);
  progress.note(
    `backup verified: ${manifest.events.count} events, ${manifest.tables.length} tables, made ${manifest.createdAt} by ${manifest.app.name} ${manifest.app.version}`,
  );

  const empty = (await store.readAll({ maxCount: 1 })).length === 0;
  if (!empty && !force) {
    throw new RestoreRefusedError(
      "the target event store is not empty; restore into an empty one, or use --force to add the backup's missing events (see `restore --help`)",
    );
  }

  // The backup's own ledger copy, this environment's ledger and any given: the union.
  const ledger = mergeLedgers(
    manifest.ledger ? await readLedger(path.join(dir, manifest.ledger.file)) : [],
    options.ledger?.entries ?? [],
  );
  let keyCheck: KeyCheck | null = null;
  if (options.keys) {
    keyCheck = await checkBackupKeys(dir, manifest, options.keys, ledger, !options.withoutApiKeys);
    if (keyCheck.unopenable.length > 0 || keyCheck.apiKeysVerify === false)
      throw new RestoreKeysError(keyRefusal(keyCheck, manifest, options.keys));
    progress.note(
      `keys: this environment opens all ${keyCheck.dataKeys} data keys of the backup` +
        (keyCheck.liveApiKeys === 0
          ? ''
          : keyCheck.apiKeysVerify
            ? `; its ${keyCheck.liveApiKeys} API keys verify here`
            : `; its ${keyCheck.liveApiKeys} API keys cannot be checked (the backup predates that record)`),
    );
  }
  const tablesToRestore = options.withoutApiKeys
    ? manifest.tables.map((t) => (t.name === 'api_keys' ? { ...t, restore: false } : t))
    : manifest.tables;

  const map = new CheckpointMap(await backupCheckpoints(dir, manifest.tables));
  progress.start('events', manifest.events.count);
  const file = path.join(dir, manifest.events.file);
  const onProgress = (n: number) => progress.update(n);
  let imported: ImportResult;
  try {
    imported =
      empty && store.kind === 'postgres'
        ? await importIntoPostgres(pool, file, map, onProgress)
        : await importThroughPort(store, file, map, onProgress);
  } finally {
    progress.stop();
  }
  progress.note(`events: ${imported.appended} restored, ${imported.present} already present`);

  if (imported.last) await waitUntilVisible(store, imported.last);
  let reforgotten: string[] = [];
  const tables = await importTables(pool, options.schema, dir, tablesToRestore, map, async (client) => {
    reforgotten = await applyLedger(client, ledger);
  });
  progress.note(`tables: ${tables.map((t) => `${t.name} ${t.inserted}/${t.rows}`).join(', ') || 'none'}`);
  if (ledger.size > 0) {
    progress.note(
      `shredding ledger: ${ledger.size} forgotten users re-applied (${reforgotten.length} restored data keys destroyed again)`,
    );
    // This environment's ledger now knows them too, for the next restore here.
    if (options.ledger) {
      const known = mergeLedgers(await readLedger(options.ledger.file));
      await appendToLedger(
        options.ledger.file,
        [...ledger.values()].filter((e) => (known.get(e.subjectId)?.generation ?? 0) < e.generation),
      );
    }
  }

  const codec = options.openCodec ? await options.openCodec() : plainCodec;
  await rebuildReadModels({
    pool,
    lockConfig: options.lockConfig,
    store,
    codec,
    logger: options.logger,
    progress,
  });
  progress.note('read models: rebuilt from the restored events');

  const checks: Check[] = [];
  const after = await countEvents(store, options.sampleSize ?? 50);
  const exact = empty;
  const check = (what: string, expected: number, actual: number, atLeast = false) =>
    checks.push({ what, expected, actual, ok: atLeast ? actual >= expected : actual === expected });
  check('events', manifest.events.count, after.count, !exact);
  check('streams', manifest.events.streams, after.streams, !exact);
  check('events restored or present', manifest.events.count, imported.appended + imported.present);
  for (const t of tables) {
    const { rows: counted } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${quoteIdent(options.schema)}.${quoteIdent(t.name)}`,
    );
    check(`table ${t.name}`, t.rows, Number(counted[0]!.n), !exact);
  }
  // Read models equal the backup's only when they had caught up with its events when it was made.
  for (const model of manifest.readModels) {
    if (!exact || model.lagEvents !== 0 || !projections.some((p) => p.name === model.projection)) continue;
    for (const [table, rows] of Object.entries(model.tables)) {
      const { rows: counted } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${quoteIdent(table)}`,
      );
      check(`read model ${table}`, rows, Number(counted[0]!.n));
    }
  }
  // Counting is not reading: open a sample of texts with the keys the service will run with.
  const opened = await openSample(codec, after.sample);
  const readable = opened.opened + opened.forgotten;
  checks.push({
    what: 'texts opened (sample)',
    expected: opened.texts,
    actual: readable,
    ok: readable === opened.texts,
    against: 'sampled',
  });
  return {
    manifest,
    appended: imported.appended,
    present: imported.present,
    tables,
    checks,
    keyCheck,
    reforgotten,
    opened,
    ok: checks.every((c) => c.ok),
  };
};

export { RestoreConflictError };
