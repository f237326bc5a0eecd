import type { Command } from 'commander';
import { BackupInvalidError } from '../../backup/manifest.ts';
import { createProgress } from '../../backup/progress.ts';
import { RestoreConflictError, RestoreRefusedError, restoreBackup } from '../../backup/restore.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

export const registerRestore = (program: Command) =>
  program
    .command('restore')
    .description(
      'restore a backup made by `salesai backup` into this environment: verify checksums, restore the events (same ids and order), the state tables, rebuild the read models, check counts',
    )
    .argument('<dir>', 'a salesai-backup-<timestamp> directory')
    .option(
      '--force',
      'restore into a store that is not empty: events already there (same id at the same stream revision) are kept, the missing ones appended after them; a stream that differs stops the restore; rows of state tables with a key already present are kept',
    )
    .addHelpText(
      'after',
      '\nStop the service (or at least the projector and agent roles) while restoring.\nPositions are renumbered by the target store; the global order and per-stream revisions are kept.',
    )
    .action(async (dir: string, options: { force?: boolean }) => {
      const system = await openCliSystem();
      try {
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
        });
        const lines = result.checks.map(
          (c) => `  ${c.ok ? 'ok ' : 'BAD'} ${c.what}: ${c.actual} (backup: ${c.expected})`,
        );
        process.stdout.write(
          `restored ${dir}\n  events appended: ${result.appended}, already present: ${result.present}\n${lines.join('\n')}\n`,
        );
        if (!result.ok) {
          process.stderr.write('restore finished but the check failed: see the BAD lines above\n');
          process.exitCode = 1;
        }
      } catch (error) {
        if (
          error instanceof BackupInvalidError ||
          error instanceof RestoreRefusedError ||
          error instanceof RestoreConflictError
        ) {
          process.stderr.write(`restore refused: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      } finally {
        await system.close();
      }
    });
