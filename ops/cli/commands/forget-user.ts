import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { openCache } from '../../../projections/cache/open.ts';
import { SlackUserId } from '../../../schemas/slack-ids.ts';
import { postgresDataKeys } from '../../../write/crypto/postgres-data-keys.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { forgetUser } from '../../runtime/keys/forget.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';
import { ledgerFile } from '../../runtime/keys/shredding-ledger.ts';

const confirm = async (userId: string) => {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Destroy the data key of ${userId}? Their message texts, insights and comments become unreadable everywhere, for good. Type the user id to confirm: `,
    );
    return answer.trim() === userId;
  } finally {
    rl.close();
  }
};

const lines = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, n]) => `  ${name}: ${n}`)
    .join('\n') || '  (none)';

export const registerForgetUser = (program: Command) => {
  program
    .command('forget-user')
    .description(
      "crypto-shredding: destroy a user's data key, so their texts are unreadable in events, read tables, caches and new backups; scores stay",
    )
    .argument('<userId>', 'the Slack user id, e.g. U2CERLKJA')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the report as JSON')
    .action(async (userId: string, options: { yes?: boolean; json?: boolean }) => {
      // A mistyped id would "forget" nobody and say so; refuse it plainly instead.
      if (!SlackUserId.safeParse(userId).success) {
        process.stderr.write(
          `forget-user: ${JSON.stringify(userId)} is not a Slack user id (such as U2CERLKJA)\n`,
        );
        process.exit(2);
      }
      if (!options.yes && !(await confirm(userId))) {
        process.stderr.write('Not confirmed; nothing changed (use --yes in scripts).\n');
        process.exit(1);
      }
      const system = await openCliSystem();
      const opened = await openCache({
        redisUrl: system.env.REDIS_URL,
        maxConnections: 2,
        logger: system.logger,
      });
      try {
        const codec = await openCodec(system.env, system.database, system.logger);
        let lastScanned = 0;
        const report = await forgetUser(
          {
            pool: system.database.pool,
            store: system.store,
            repository: postgresDataKeys(system.database.pool),
            dataKeys: codec.dataKeys,
            // The in-process cache of this CLI process is nobody's: only a shared (Redis) one matters.
            cache: opened.redis ? opened.cache : null,
            ledgerFile: ledgerFile(system.env),
          },
          userId,
          // A counter in place on a terminal; in a log, the one line at the end.
          (scanned) => {
            if (process.stderr.isTTY) process.stderr.write(`\rscanned ${scanned} events`);
            lastScanned = scanned;
          },
        );
        process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}scanned ${lastScanned} events\n`);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        if (!report.hadKey) {
          process.stdout.write(`${userId} had no data key: nothing of theirs was stored encrypted.\n`);
        } else {
          process.stdout.write(
            `Destroyed the data key of ${userId} (generation ${report.generation}). Now unreadable:\n` +
              `events with sealed fields:\n${lines(report.events)}\n` +
              `read rows:\n${lines(report.readRows)}\n` +
              'Scores, timestamps and ids stay. Running processes drop their cached key within a minute.\n' +
              `Recorded in the shredding ledger ${ledgerFile(system.env)}: restore re-applies it, so keep it with the key escrow.\n`,
          );
        }
      } finally {
        await opened.close();
        await system.close();
      }
    });
};
