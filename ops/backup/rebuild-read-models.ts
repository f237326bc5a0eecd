import type pg from 'pg';
import { createMemoryCache } from '../../projections/cache/memory.ts';
import { safeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { isLockHeld } from '../../projections/runner/lock.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { startProjectors } from '../runtime/projectors.ts';
import type { Progress } from './progress.ts';

export type RebuildOptions = {
  pool: pg.Pool;
  lockConfig: pg.ClientConfig;
  store: EventStore;
  /** The codec the service projects with (the encrypting one): read rows must come out as it writes them. */
  codec: EventCodec;
  logger: Logger;
  progress: Progress;
  timeoutMs?: number;
};

/**
 * The read models come back by replaying the restored events, not by loading the backup's
 * rows: the rows carry checkpoints in the old position numbering. An empty target has no
 * generation yet, so the runners build the first one from the start; a target that had read
 * models (--force) gets a blue/green rebuild. A server already running a projection does the
 * work itself (it holds the lock); this process runs the others and waits for all of them.
 */
export const rebuildReadModels = async (options: RebuildOptions): Promise<void> => {
  const { pool, store, progress } = options;
  const before = new Map<string, number>();
  for (const p of projections)
    before.set(p.name, (await findGeneration(pool, p.name, 'live'))?.generation ?? 0);
  const held = await Promise.all(
    projections.map((p) => isLockHeld(options.lockConfig, `projection:${p.name}`)),
  );
  for (const p of projections) if (before.get(p.name)! > 0) await requestRebuild(pool, p.name, 'restore');
  const mine = projections.filter((_, i) => !held[i]);
  const local = mine.length
    ? startProjectors({
        pool,
        lockConfig: options.lockConfig,
        store,
        codec: options.codec,
        logger: options.logger,
        cache: safeCache(createMemoryCache(), { logger: options.logger }),
        definitions: mine,
      })
    : null;
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  try {
    progress.start('read models', projections.length);
    let done = 0;
    for (const p of projections) {
      for (;;) {
        const live = await findGeneration(pool, p.name, 'live');
        if (live && live.generation > before.get(p.name)!) {
          const [next] = await store.readAll({ after: live.position, maxCount: 1, types: p.handles });
          if (!next) break;
        }
        if (Date.now() > deadline) throw new Error(`projection ${p.name} did not catch up in time`);
        await new Promise((r) => setTimeout(r, 200));
      }
      progress.update(++done);
    }
    progress.stop();
  } finally {
    await local?.stop();
  }
};
