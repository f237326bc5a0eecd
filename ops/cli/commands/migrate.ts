import type { Command } from 'commander';
import { loadConfigOrExit } from '../../runtime/config.ts';
import { openDatabase } from '../../runtime/database.ts';
import { createLogger } from '../../runtime/logger.ts';
import { migrate } from '../../runtime/migrate.ts';

export const registerMigrate = (program: Command) =>
  program
    .command('migrate')
    .description('apply pending database migrations (also done on every start)')
    .action(async () => {
      const env = loadConfigOrExit();
      const logger = createLogger({ ...env, LOG_LEVEL: 'warn' });
      const database = await openDatabase(env, logger, { migrate: false });
      try {
        const applied = await migrate(database.url, database.schema);
        process.stdout.write(
          applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
        );
      } finally {
        await database.close();
      }
    });
