import type { Command } from 'commander';
import { pino } from 'pino';
import type { Logger } from '../../../schemas/logger.ts';
import {
  pgKnowledgeDocumentIds,
  type SeedKnowledgeSummary,
  seedKnowledge,
} from '../../runtime/agent/seed-knowledge.ts';
import { loadConfigOrExit } from '../../runtime/config.ts';
import { openDatabase } from '../../runtime/database.ts';
import { openEventStore } from '../../runtime/event-store.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

const line = (label: string, ids: string[], list: boolean) =>
  `${label.padEnd(10)} ${ids.length}${list && ids.length > 0 ? `  (${ids.join(', ')})` : ''}`;

export const summaryText = (summary: SeedKnowledgeSummary): string =>
  [
    line('published', summary.published, true),
    line('updated', summary.updated, true),
    line('unchanged', summary.unchanged, false),
    line('retracted', summary.retracted, true),
    line(
      'failed',
      summary.failed.map((f) => f.sourcePath),
      false,
    ),
    ...summary.failed.map((f) => `  ${f.message}`),
  ].join('\n');

export const registerSeedKnowledge = (program: Command) =>
  program
    .command('seed-knowledge')
    .description(
      'publish the knowledge documents of a directory: Markdown, text, PDF, Word, PowerPoint (idempotent by content hash)',
    )
    .argument(
      '[dir]',
      'directory of .md, .txt, .pdf, .docx and .pptx files (Markdown front matter optional)',
      'knowledge',
    )
    .option('--retract-missing', 'retract documents published from this directory whose file is gone')
    .action(async (dir: string, options: { retractMissing?: boolean }) => {
      const env = loadConfigOrExit();
      const logger = pino({ level: 'warn', base: null }, pino.destination(2)) as unknown as Logger;
      const database = await openDatabase(env, logger);
      const store = await openEventStore(env, database, logger);
      let code = 0;
      try {
        const deps = {
          store,
          codec: await openCodec(env, database, logger),
          actorId: 'cli',
          ...(store.kind === 'postgres' ? { documentIds: pgKnowledgeDocumentIds(database.pool) } : {}),
        };
        const summary = await seedKnowledge(deps, dir, {
          retractMissing: options.retractMissing === true,
        });
        process.stdout.write(`${summaryText(summary)}\n`);
        // The readable files are published; a file that could not be read still fails the run.
        if (summary.failed.length > 0) code = 1;
      } catch (error) {
        process.stderr.write(`seed-knowledge failed: ${(error as Error).message}\n`);
        code = 1;
      } finally {
        await store.close();
        await database.close();
      }
      process.exit(code);
    });
