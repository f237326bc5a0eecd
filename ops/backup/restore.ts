import path from 'node:path';
import type pg from 'pg';
import { projections } from '../../projections/registry.ts';
import type { Logger } from '../../schemas/logger.ts';
import { type EventCodec, plainCodec } from '../../write/event-store/codec.ts';
import { comparePositions, type EventStore, type Position, START } from '../../write/event-store/port.ts';
import { CheckpointMap } from './checkpoint-map.ts';
import {
  type ImportResult,
  importIntoPostgres,
  importThroughPort,
  RestoreConflictError,
} from './event-import.ts';
import type { Manifest } from './format.ts';
import { readVerifiedManifest } from './manifest.ts';
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
};

export type Check = { what: string; expected: number; actual: number; ok: boolean };

export type RestoreResult = {
  manifest: Manifest;
  appended: number;
  present: number;
  tables: TableImport[];
  checks: Check[];
  ok: boolean;
};

export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError';
}

const countEvents = async (store: EventStore) => {
  let count = 0;
  const streams = new Set<string>();
  let after = START;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 2000 });
    if (batch.length === 0) return { count, streams: streams.size };
    for (const e of batch) streams.add(e.streamId);
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
  const tables = await importTables(pool, options.schema, dir, manifest.tables, map);
  progress.note(`tables: ${tables.map((t) => `${t.name} ${t.inserted}/${t.rows}`).join(', ') || 'none'}`);

  const codec = options.openCodec ? await options.openCodec() : plainCodec;
  await rebuildReadModels({
    pool,
    lockConfig: options.lockConfig,
    store,
    codec,
    logger: options.logger,
    progress,
  });

  const checks: Check[] = [];
  const after = await countEvents(store);
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
  return {
    manifest,
    appended: imported.appended,
    present: imported.present,
    tables,
    checks,
    ok: checks.every((c) => c.ok),
  };
};

export { RestoreConflictError };
