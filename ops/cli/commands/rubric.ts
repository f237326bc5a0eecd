import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { listRubricVersions } from '../../../projections/rubrics/queries.ts';
import type { CommandMetadata } from '../../../schemas/commands.ts';
import { isAppError } from '../../../schemas/errors.ts';
import { DEFAULT_TEAM, RubricDefinition, rubricRefText } from '../../../schemas/rubrics.ts';
import { SlackUserId } from '../../../schemas/slack-ids.ts';
import { handleRubricCommand, loadRubricState } from '../../../write/rubrics/handle.ts';
import { latestRubric } from '../../../write/rubrics/state.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

const fail = (message: string, code = 2): never => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

const metadata = (): CommandMetadata => {
  const key = `rubric-cli:${randomUUID()}`;
  return {
    idempotencyKey: key,
    correlationId: key,
    causationId: null,
    now: new Date().toISOString(),
    actor: { kind: 'ops', id: 'salesai-cli' },
  };
};

/** A rubric file: YAML or JSON (YAML is a superset), `{ id, name: {ja, en}, skills: [...] }`. */
export const readRubricFile = async (file: string) => {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(`rubric publish: cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = RubricDefinition.safeParse(raw);
  if (!parsed.success) {
    return fail(
      `rubric publish: ${file} is not a rubric: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
    );
  }
  return parsed.data;
};

const withSystem = async <T>(work: (system: Awaited<ReturnType<typeof openCliSystem>>) => Promise<T>) => {
  const system = await openCliSystem();
  try {
    return await work(system);
  } finally {
    await system.close();
  }
};

export const registerRubric = (program: Command) => {
  const rubric = program
    .command('rubric')
    .description('coaching rubrics: publish a version, list them, choose one per team');

  rubric
    .command('publish')
    .description(
      'publish a rubric from a YAML or JSON file as its next version (the same content again is a no-op)',
    )
    .argument(
      '<file>',
      'YAML/JSON: id, name {ja, en}, skills [{ key, label {ja, en}, description {ja, en} }]',
    )
    .action(async (file: string) => {
      const definition = await readRubricFile(file);
      await withSystem(async (system) => {
        const codec = await openCodec(system.env, system.database, system.logger);
        const result = await handleRubricCommand(
          system.store,
          codec,
          { type: 'PublishRubric', rubric: definition },
          metadata(),
        );
        const published = result.events.find((e) => e.type === 'RubricPublished');
        process.stdout.write(
          published
            ? `published ${definition.id} version ${published.data.version} (${definition.skills.length} skills)\n`
            : `unchanged: ${definition.id} already says this in its latest version\n`,
        );
      });
    });

  rubric
    .command('list')
    .description(
      'list rubrics, their versions and skills, and which team has chosen which (from the read models)',
    )
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      await withSystem(async (system) => {
        const pool = system.database.pool;
        const versions = await listRubricVersions(pool);
        const choices = (
          await pool.query<{ team_id: string; rubric_id: string; rubric_version: number }>(
            'SELECT team_id, rubric_id, rubric_version FROM team_rubric_choices ORDER BY team_id',
          )
        ).rows;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ versions, choices }, null, 2)}\n`);
          return;
        }
        for (const v of versions) {
          process.stdout.write(
            `${rubricRefText(v)}  ${v.name.en} / ${v.name.ja}${v.builtIn ? '  (built-in)' : ''}\n    ${v.skills.map((s) => s.key).join(', ')}\n`,
          );
        }
        process.stdout.write(
          choices.length === 0
            ? 'choices: none (everyone is scored with core@1)\n'
            : `choices:\n${choices.map((c) => `  ${c.team_id === DEFAULT_TEAM ? 'default' : c.team_id}: ${c.rubric_id}@${c.rubric_version}`).join('\n')}\n`,
        );
      });
    });

  rubric
    .command('choose')
    .description("choose the rubric a team's reps are scored with from now on (earlier scores keep theirs)")
    .argument('<id>', 'rubric id, e.g. meddicc')
    .option('--version <n>', 'the rubric version (default: its latest)')
    .option('--team <managerId>', "the team: its manager's Slack user id, as in TEAMS")
    .option('--default', 'every rep without a team choice of their own')
    .action(async (id: string, options: { version?: string; team?: string; default?: boolean }) => {
      if (Boolean(options.team) === Boolean(options.default))
        fail('rubric choose: give exactly one of --team <managerId> or --default');
      if (options.team && !SlackUserId.safeParse(options.team).success)
        fail(
          `rubric choose: --team ${JSON.stringify(options.team)} is not a Slack user id (such as U2CERLKJA)`,
        );
      const version = options.version === undefined ? undefined : Number(options.version);
      if (version !== undefined && !(Number.isInteger(version) && version > 0))
        fail('rubric choose: --version must be a positive integer');
      await withSystem(async (system) => {
        const codec = await openCodec(system.env, system.database, system.logger);
        const teamId = options.team ?? DEFAULT_TEAM;
        if (options.team && !Object.hasOwn(system.env.TEAMS, options.team)) {
          process.stderr.write(
            `note: ${options.team} has no team in TEAMS; the choice applies once it has one\n`,
          );
        }
        const latest = latestRubric(await loadRubricState(system.store, codec, id));
        if (!latest) fail(`rubric choose: no rubric ${id} (see salesai rubric list)`);
        const ref = { id, version: version ?? latest!.version };
        try {
          const result = await handleRubricCommand(
            system.store,
            codec,
            { type: 'ChooseTeamRubric', teamId, rubric: ref },
            metadata(),
          );
          const who = teamId === DEFAULT_TEAM ? 'the default' : `team ${teamId}`;
          process.stdout.write(
            result.events.length > 0
              ? `${who} is scored with ${rubricRefText(ref)} from now on\n`
              : `unchanged: ${who} already uses ${rubricRefText(ref)}\n`,
          );
        } catch (error) {
          if (isAppError(error, 'NOT_FOUND')) fail(`rubric choose: ${error.message}`);
          throw error;
        }
      });
    });
};
