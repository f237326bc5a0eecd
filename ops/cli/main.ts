import { Command } from 'commander';
import { loadDotEnv } from '../runtime/config.ts';
import { packageVersion } from '../runtime/version.ts';
import { registerApiKey } from './commands/api-key.ts';
import { registerBackup } from './commands/backup.ts';
import { registerChat } from './commands/chat.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDigest } from './commands/digest.ts';
import { registerForgetUser } from './commands/forget-user.ts';
import { registerKeys } from './commands/keys.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerProjections } from './commands/projections.ts';
import { registerRescore } from './commands/rescore.ts';
import { registerRestore } from './commands/restore.ts';
import { registerRubric } from './commands/rubric.ts';
import { registerSeedKnowledge } from './commands/seed-knowledge.ts';
import { registerServe } from './commands/serve.ts';

loadDotEnv();

const program = new Command()
  .name('salesai')
  .description('AI sales coach: operations CLI')
  .version(packageVersion)
  .showHelpAfterError()
  // `salesai --version` prints the version; `salesai rescore --version 2` is rescore's own option.
  .enablePositionalOptions()
  .configureHelp({ sortSubcommands: true });

registerServe(program);
registerMigrate(program);
registerProjections(program);
registerApiKey(program);
registerSeedKnowledge(program);
registerChat(program);
registerForgetUser(program);
registerKeys(program);
registerDemo(program);
registerBackup(program);
registerRestore(program);
registerDigest(program);
// Rubrics (issue 16)
registerRubric(program);
registerRescore(program);

await program.parseAsync(process.argv);
