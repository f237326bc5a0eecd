import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogueProjection } from '../../projections/dialogue/projection.ts';
import { growthProjection } from '../../projections/growth/projection.ts';
import { insightsProjection } from '../../projections/insights/projection.ts';
import type { ProjectionDefinition } from '../../projections/projection.ts';
import { projectionNames } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { seedDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { childEnv, cliPath } from '../helpers/process.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { dumpProjection } from '../helpers/tables.ts';
import { waitFor } from '../helpers/wait.ts';

const definitions = [dialogueProjection, insightsProjection, growthProjection] as ProjectionDefinition[];

describe('projector processes killed in the middle of batches', () => {
  let db: TestDatabase;

  const startProjector = () =>
    spawn(process.execPath, [cliPath, 'serve', '--role', 'projector'], {
      env: childEnv({
        DATABASE_URL: db.url,
        DATABASE_SCHEMA: db.schema,
        LOG_LEVEL: 'error',
        DATABASE_POOL_SIZE: '4',
        DATABASE_MAX_OVERFLOW: '0',
      }),
      stdio: 'ignore',
    });
  const stopped = (child: ReturnType<typeof startProjector>) =>
    new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)));
  const caughtUp = async () => {
    const tail = await storeTail(db.pool);
    for (const name of projectionNames) {
      await waitFor(async () => {
        const live = await findGeneration(db.pool, name, 'live');
        return live !== null && comparePositions(live.position, tail) >= 0;
      }, 120_000);
    }
  };
  const dumpAll = async () =>
    Object.fromEntries(
      await Promise.all(definitions.map(async (d) => [d.name, await dumpProjection(db.pool, d)])),
    );

  beforeAll(async () => {
    db = await createTestDatabase({ max: 10 });
    // ~20,000 events: enough for many batches to be in flight when the process dies.
    await seedDialogues(db, { users: 30, sessionsPerUser: 20, exchangesPerSession: 10 });
  }, 300_000);
  afterAll(async () => {
    await db.drop();
  });

  it('after SIGKILL in the middle of batches, again and again, the tables equal a clean rebuild', async () => {
    // Each process is killed a moment after it has been seen to commit a batch, so the kills
    // land in the middle of catching up (the machine's speed does not matter).
    let midway = 0;
    for (let kill = 0; kill < 8; kill++) {
      const seen = (await findGeneration(db.pool, 'dialogue', 'live'))?.eventsProcessed ?? 0;
      const child = startProjector();
      const tail = await storeTail(db.pool);
      await waitFor(
        async () => {
          const live = await findGeneration(db.pool, 'dialogue', 'live');
          const done = live !== null && comparePositions(live.position, tail) >= 0;
          return (live?.eventsProcessed ?? 0) > seen || done || child.exitCode !== null;
        },
        120_000,
        20,
      );
      const live = await findGeneration(db.pool, 'dialogue', 'live');
      const caughtUpNow = live !== null && comparePositions(live.position, tail) >= 0;
      // A kill counts only if it hits a live process with work left.
      if (child.exitCode === null && !caughtUpNow) midway++;
      child.kill('SIGKILL');
      await stopped(child);
      if (caughtUpNow) break;
    }
    expect(midway).toBeGreaterThan(0);
    const progressed = await findGeneration(db.pool, 'dialogue', 'live');
    expect(progressed?.eventsProcessed ?? 0).toBeGreaterThan(0);

    const survivor = startProjector();
    try {
      await caughtUp();
      const afterCrashes = await dumpAll();
      const before = new Map<string, number>();
      for (const d of definitions)
        before.set(d.name, (await findGeneration(db.pool, d.name, 'live'))!.generation);
      for (const d of definitions) await requestRebuild(db.pool, d.name, 'test');
      for (const d of definitions) {
        await waitFor(
          async () =>
            ((await findGeneration(db.pool, d.name, 'live'))?.generation ?? 0) > before.get(d.name)!,
          120_000,
        );
      }
      await caughtUp();
      expect(await dumpAll()).toEqual(afterCrashes);
    } finally {
      survivor.kill('SIGTERM');
      await stopped(survivor);
    }
  }, 600_000);
});
