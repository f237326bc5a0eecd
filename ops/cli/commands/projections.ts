import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createMemoryCache } from '../../../projections/cache/memory.ts';
import { safeCache } from '../../../projections/cache/safe.ts';
import { findProjection, projectionNames, projections } from '../../../projections/registry.ts';
import { findGeneration } from '../../../projections/runner/generations.ts';
import { isLockHeld } from '../../../projections/runner/lock.ts';
import { requestRebuild } from '../../../projections/runner/rebuild-requests.ts';
import { projectionStatuses } from '../../../projections/runner/status.ts';
import { START } from '../../../write/event-store/port.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';
import { startProjectors } from '../../runtime/projectors.ts';

const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
};

export const registerProjections = (program: Command) => {
  const projectionsCommand = program.command('projections').description('read models: status');
  projectionsCommand
    .command('status')
    .description('each projection: generation, position, lag, dead letters, rebuild progress')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const system = await openCliSystem();
      try {
        const statuses = await projectionStatuses(system.database.pool, system.store, projections);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ projections: statuses }, null, 2)}\n`);
          return;
        }
        const rows = [['projection', 'generation', 'events', 'lag', 'lag (s)', 'dead letters', 'rebuild']];
        for (const s of statuses) {
          rows.push([
            s.name,
            String(s.generation ?? '-'),
            String(s.eventsProcessed),
            String(s.lagEvents ?? '?'),
            s.lagSeconds === null ? '?' : s.lagSeconds.toFixed(1),
            String(s.deadLetters),
            s.rebuild
              ? `g${s.rebuild.generation}: ${s.rebuild.eventsProcessed}/${s.rebuild.totalEvents ?? '?'}`
              : '-',
          ]);
        }
        process.stdout.write(`${table(rows)}\n`);
      } finally {
        await system.close();
      }
    });

  program
    .command('rebuild')
    .description(
      'rebuild projections from the event store, blue/green: the old tables serve until the new ones are swapped in',
    )
    .argument('[name]', `a projection (${projectionNames.join(', ')})`)
    .option('--all', 'rebuild every projection')
    .action(async (name: string | undefined, options: { all?: boolean }) => {
      const names = options.all ? projectionNames : name ? [name] : [];
      if (names.length === 0) program.error('name a projection or use --all');
      const unknown = names.filter((n) => !findProjection(n));
      if (unknown.length)
        program.error(`unknown projection ${unknown.join(', ')}; known: ${projectionNames.join(', ')}`);

      const system = await openCliSystem();
      const { pool } = system.database;
      let local: ReturnType<typeof startProjectors> | null = null;
      try {
        const before = new Map<string, number>();
        for (const n of names) before.set(n, (await findGeneration(pool, n, 'live'))?.generation ?? 0);
        // A running server picks the request up; with none running, this process does the work.
        const heldElsewhere = await Promise.all(
          names.map((n) => isLockHeld(system.database.listenConfig, `projection:${n}`)),
        );
        for (const n of names) await requestRebuild(pool, n, 'cli');
        const mine = names.filter((_, i) => !heldElsewhere[i]).map((n) => findProjection(n)!);
        if (mine.length) {
          local = startProjectors({
            pool,
            lockConfig: system.database.listenConfig,
            store: system.store,
            codec: await openCodec(system.env, system.database, system.logger),
            logger: system.logger,
            cache: safeCache(createMemoryCache(), { logger: system.logger }),
            definitions: mine,
          });
        }

        const bar = new SingleBar({
          format: ' {name} |{bar}| {percentage}% | {value}/{total} events | {eta_formatted} left',
          hideCursor: true,
        });
        for (const n of names) {
          const types = findProjection(n)!.handles;
          const total = system.store.countEventsAfter
            ? await system.store.countEventsAfter(START, 100_000_000, types)
            : 0;
          bar.start(Math.max(total, 1), 0, { name: n.padEnd(10) });
          for (;;) {
            const live = await findGeneration(pool, n, 'live');
            if (live && live.generation > before.get(n)!) {
              bar.update(Math.max(total, live.eventsProcessed));
              break;
            }
            const building = await findGeneration(pool, n, 'building');
            if (building) bar.update(Math.min(building.eventsProcessed, total));
            await new Promise((r) => setTimeout(r, 250));
          }
          bar.stop();
        }
        process.stdout.write(`rebuilt: ${names.join(', ')}\n`);
      } finally {
        await local?.stop();
        await system.close();
      }
    });
};
