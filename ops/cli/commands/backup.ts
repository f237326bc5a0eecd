import path from 'node:path';
import type { Command } from 'commander';
import { createBackup } from '../../backup/backup.ts';
import { createProgress } from '../../backup/progress.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { packageVersion } from '../../runtime/version.ts';

export const registerBackup = (program: Command) =>
  program
    .command('backup')
    .description(
      'back up the event store (gzip NDJSON, every event as stored), the database tables (COPY, plus pg_dump when a matching one is on PATH) and a manifest with counts and sha256; then remove old backups',
    )
    .option('--out <dir>', 'where backup directories go (default: DATA_DIR/backups)')
    .option(
      '--keep-days <n>',
      'remove backups older than this many days after a successful backup; 0 keeps all (default: BACKUP_RETENTION_DAYS or 30)',
    )
    .option('--no-pg-dump', 'skip pg_dump even when a matching one is available')
    .action(async (options: { out?: string; keepDays?: string; pgDump: boolean }) => {
      const keepDays = options.keepDays === undefined ? undefined : Number(options.keepDays);
      if (keepDays !== undefined && (!Number.isInteger(keepDays) || keepDays < 0))
        program.error('--keep-days: expected a whole number of days (0 keeps all)');
      const system = await openCliSystem();
      try {
        const result = await createBackup({
          store: system.store,
          pool: system.database.pool,
          url: system.database.url,
          schema: system.database.schema,
          outDir: path.resolve(options.out ?? path.join(system.env.DATA_DIR, 'backups')),
          keepDays: keepDays ?? system.env.BACKUP_RETENTION_DAYS,
          app: { name: system.env.APP_NAME, version: packageVersion },
          progress: createProgress(),
          pgDump: options.pgDump,
        });
        const m = result.manifest;
        process.stdout.write(
          `backup: ${result.dir}\n` +
            `  events: ${m.events.count} in ${m.events.streams} streams (${m.source.store})\n` +
            `  tables: ${m.tables.length}, ${m.tables.reduce((n, t) => n + t.rows, 0)} rows\n` +
            `  pg_dump: ${m.pgDump ? m.pgDump.file : `skipped (${result.pgDumpSkipped})`}\n` +
            `  removed old backups: ${result.removed.length ? result.removed.join(', ') : 'none'}\n`,
        );
      } finally {
        await system.close();
      }
    });
