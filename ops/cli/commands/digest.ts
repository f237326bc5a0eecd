import { WebClient } from '@slack/web-api';
import type { Command } from 'commander';
import { scoredReps } from '../../../projections/growth/weekly.ts';
import { zonedTime } from '../../../projections/targets/calendar.ts';
import { SlackUserId } from '../../../schemas/slack-ids.ts';
import { IsoWeek } from '../../../schemas/targets.ts';
import { createDigestClaims } from '../../../slack-edge/digest/claims.ts';
import { digestMessage } from '../../../slack-edge/digest/content.ts';
import { composeDigest, type DigestDeps, sendWeeklyDigests } from '../../../slack-edge/digest/send.ts';
import { languageOfUsers } from '../../../slack-edge/locale.ts';
import { createUserDirectory } from '../../../slack-edge/web/user-directory.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

const fail = (message: string): never => {
  process.stderr.write(`digest send: ${message}\n`);
  process.exit(2);
};

type Options = { week?: string; user?: string[]; dryRun?: boolean; json?: boolean };

export const registerDigest = (program: Command) => {
  const digest = program.command('digest').description('the weekly digest DM to each rep');
  digest
    .command('send')
    .description(
      "send this week's digest now (each rep once per ISO week across processes, as the scheduler does; reps who turned it off are skipped)",
    )
    .option('--week <week>', 'the ISO week, e.g. 2026-W49 (default: the current week in DIGEST_TIMEZONE)')
    .option('--user <userId...>', 'only these reps (default: everyone with a scored session)')
    .option('--dry-run', 'print what each rep would get; post nothing, claim nothing')
    .option('--json', 'print the report as JSON')
    .action(async (options: Options) => {
      if (options.week !== undefined && !IsoWeek.safeParse(options.week).success) {
        fail(`--week ${JSON.stringify(options.week)}: expected an ISO week like 2026-W49`);
      }
      for (const id of options.user ?? []) {
        if (!SlackUserId.safeParse(id).success) fail(`--user ${JSON.stringify(id)} is not a Slack user id`);
      }
      const system = await openCliSystem();
      try {
        const { env } = system;
        if (!env.SLACK_BOT_TOKEN && !options.dryRun)
          fail('SLACK_BOT_TOKEN is not set (use --dry-run to preview)');
        const week = options.week ?? zonedTime(new Date(), env.DIGEST_TIMEZONE).week;
        const users = options.user ?? (await scoredReps(system.database.pool));
        const client = new WebClient(env.SLACK_BOT_TOKEN ?? 'xoxb-none', {
          slackApiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`,
        });
        const directory = createUserDirectory(client, system.logger, async () => undefined);
        const deps: DigestDeps = {
          pool: system.database.pool,
          store: system.store,
          codec: await openCodec(env, system.database, system.logger),
          client,
          claims: createDigestClaims(system.database.pool),
          languageOf: env.SLACK_BOT_TOKEN ? languageOfUsers(directory) : async () => 'ja',
          logger: system.logger,
          timeZone: env.DIGEST_TIMEZONE,
          window: env.GROWTH_WINDOW_SESSIONS,
          owner: `cli:${process.pid}`,
        };
        if (options.dryRun) {
          const previews = [];
          for (const userId of users) {
            const content = await composeDigest(deps, userId, week);
            previews.push({
              userId,
              week,
              language: content.language,
              text: digestMessage(content).text,
              content,
            });
          }
          if (options.json)
            process.stdout.write(`${JSON.stringify({ week, dryRun: true, digests: previews }, null, 2)}\n`);
          else {
            for (const p of previews) process.stdout.write(`── ${p.userId} (${p.language})\n${p.text}\n\n`);
            process.stdout.write(`${previews.length} digests for ${week} (dry run: nothing sent)\n`);
          }
          return;
        }
        const report = await sendWeeklyDigests(deps, users, week);
        if (options.json) process.stdout.write(`${JSON.stringify({ week, ...report }, null, 2)}\n`);
        else {
          process.stdout.write(
            `${week}: sent ${report.sent}, resumed ${report.resumed}, already sent ${report.already}, held by another process ${report.busy}, opted out ${report.opted_out}, failed ${report.failed}\n`,
          );
        }
        if (report.failed > 0) process.exitCode = 1;
      } finally {
        await system.close();
      }
    });
};
