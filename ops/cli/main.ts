import { Command } from 'commander';
import { loadDotEnv } from '../runtime/config.ts';
import { packageVersion } from '../runtime/version.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerServe } from './commands/serve.ts';

loadDotEnv();

const program = new Command()
  .name('salesai')
  .description('AI sales coach: operations CLI')
  .version(packageVersion)
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

registerServe(program);
registerMigrate(program);

await program.parseAsync(process.argv);
