import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AppError, isAppError } from '../../../schemas/errors.ts';
import { type Rubric, RubricId, rubricRefText } from '../../../schemas/rubrics.ts';
import { SlackUserId } from '../../../schemas/slack-ids.ts';
import { createLlm } from '../../../write/agent/llm/factory.ts';
import { noMetrics } from '../../../write/agent/ports.ts';
import { authorizationConfigFrom } from '../../../write/authorization/policy.ts';
import { createRubricCatalog } from '../../../write/rubrics/current.ts';
import { loadRubricState } from '../../../write/rubrics/handle.ts';
import { latestRubric } from '../../../write/rubrics/state.ts';
import { estimateRescore, estimateText } from '../../rescore/estimate.ts';
import { rescoreProgress } from '../../rescore/progress.ts';
import { runRescore } from '../../rescore/run.ts';
import { plannedSessions } from '../../rescore/sessions.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

type RescoreOptions = {
  rubric: string;
  version?: string;
  since?: string;
  team?: string;
  yes?: boolean;
  dryRun?: boolean;
  progressEvery?: string;
};

const fail = (message: string, code = 2): never => {
  process.stderr.write(`rescore: ${message}\n`);
  process.exit(code);
};

const confirm = async (question: string) => {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
};

const positive = (value: string | undefined, name: string, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fail(`${name} must be a positive integer`);
};

export const registerRescore = (program: Command) =>
  program
    .command('rescore')
    .description(
      'score past sessions again on a rubric version through the LLM; exactly once per session and version, resumable, old scores kept',
    )
    .requiredOption('--rubric <id>', 'rubric id, e.g. meddicc')
    .option('--version <n>', 'rubric version (default: its latest)')
    .option('--since <date>', 'only sessions started on or after this date (2026-01-05 or an ISO instant)')
    .option('--team <managerId>', "only the reps of this manager's team (TEAMS)")
    .option('--yes', 'do not ask for confirmation')
    .option('--dry-run', 'print the sessions, tokens and cost estimate, then stop')
    .option('--progress-every <n>', 'without a terminal: one progress line every n sessions', '10')
    .action(async (options: RescoreOptions) => {
      if (!RubricId.safeParse(options.rubric).success)
        fail(`--rubric ${JSON.stringify(options.rubric)} is not a rubric id`);
      const version = options.version === undefined ? undefined : positive(options.version, '--version', 1);
      const every = positive(options.progressEvery, '--progress-every', 10);
      if (options.since !== undefined && Number.isNaN(Date.parse(options.since)))
        fail(`--since ${JSON.stringify(options.since)} is not a date such as 2026-01-05`);
      if (options.team !== undefined && !SlackUserId.safeParse(options.team).success)
        fail(`--team ${JSON.stringify(options.team)} is not a Slack user id (such as U2CERLKJA)`);

      const system = await openCliSystem();
      let code = 0;
      try {
        const { env, database, store, logger } = system;
        const codec = await openCodec(env, database, logger);
        const userIds = options.team ? env.TEAMS[options.team] : undefined;
        if (options.team && !userIds) fail(`--team ${options.team} has no team in TEAMS`);
        const catalog = createRubricCatalog({ store, codec, authorization: authorizationConfigFrom(env) });
        let rubric: Rubric;
        try {
          const latest = latestRubric(await loadRubricState(store, codec, options.rubric));
          if (!latest) throw new AppError('NOT_FOUND', `no rubric ${options.rubric}`);
          rubric = await catalog.rubric({ id: options.rubric, version: version ?? latest.version });
        } catch (error) {
          if (isAppError(error, 'NOT_FOUND')) return fail(error.message);
          throw error;
        }
        const llm = createLlm(env);
        const sessions = await plannedSessions(database.pool, {
          rubric,
          since: options.since ? new Date(options.since).toISOString() : undefined,
          userIds,
        });
        const estimate = await estimateRescore(
          { pool: database.pool, personal: codec.personal, provider: llm.provider, model: llm.model },
          sessions,
          rubric,
        );
        process.stdout.write(
          `rubric:            ${rubricRefText(rubric)} (${rubric.name.en})\n${estimateText(estimate, llm.provider, llm.model)}\n`,
        );
        if (options.dryRun || sessions.length === 0) return;
        if (
          !options.yes &&
          !(await confirm(`Score ${sessions.length} sessions on ${rubricRefText(rubric)}? [y/N] `))
        ) {
          process.stderr.write('Not confirmed; nothing scored (use --yes in scripts).\n');
          code = 1;
          return;
        }
        const progress = rescoreProgress(sessions.length, every);
        const counts = await runRescore(
          {
            store,
            codec,
            inactivityMs: env.SESSION_INACTIVITY_MINUTES * 60_000,
            llm,
            logger,
            metrics: noMetrics,
            clock: () => new Date(),
            pool: database.pool,
            personal: codec.personal,
          },
          sessions,
          rubric,
          (outcome) => progress.tick(outcome),
        );
        progress.stop();
        process.stdout.write(
          `recorded ${counts.recorded}, already scored ${counts.already}, failed ${counts.failed}, nothing to score ${counts.empty}\n`,
        );
        if (counts.failed > 0) code = 1;
      } finally {
        await system.close();
        process.exitCode = code;
      }
    });
