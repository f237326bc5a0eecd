import os from 'node:os';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { pino } from 'pino';
import { knowledgeProjection } from '../../../projections/knowledge/projection.ts';
import { ProjectionRunner } from '../../../projections/runner/runner.ts';
import type { Conversation } from '../../../schemas/events/index.ts';
import type { Logger } from '../../../schemas/logger.ts';
import { ChatSession } from '../../runtime/agent/chat-session.ts';
import { waitForKnowledge } from '../../runtime/agent/knowledge-ready.ts';
import { TerminalPresenter } from '../../runtime/agent/terminal-presenter.ts';
import { startAgent } from '../../runtime/agent.ts';
import { loadConfigOrExit } from '../../runtime/config.ts';
import { openDatabase } from '../../runtime/database.ts';
import { openEventStore } from '../../runtime/event-store.ts';
import { openCodec } from '../../runtime/keys/open-codec.ts';

type ChatOptions = { user: string; conversation?: string };

const slug = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'user';

/** A terminal is a conversation of its own: `cli:<os user>:<started at, or --conversation>`. */
const terminalConversation = (name: string | undefined): Conversation => {
  const channelId = slug(os.userInfo().username);
  const threadTs = name ? slug(name) : `${Math.floor(Date.now() / 1000)}.${process.pid}`;
  return { id: `cli:${channelId}:${threadTs}`, teamId: 'cli', channelId, channelKind: 'cli', threadTs };
};

const help = `コマンド / commands:
  /roleplay <相手の人物像>  ロールプレイを始める (start a roleplay), e.g. /roleplay 価格に厳しい購買担当
  /end                      セッションを終える (end the session; a roleplay is scored)
  /help                     この説明 (this help)
  Ctrl-D                    終了 (quit)
`;

export const registerChat = (program: Command) =>
  program
    .command('chat')
    .description('talk to the coaching agent in the terminal, through the same commands as Slack')
    .option('--user <id>', 'the Slack-style user id you speak as', 'UCLI')
    .option('--conversation <name>', 'continue a named conversation instead of starting a new one')
    .addHelpText(
      'after',
      `\nReads lines from stdin (interactive or piped) and prints the replies; exits at the end of input.\n\n${help}`,
    )
    .action(async (options: ChatOptions) => {
      const env = loadConfigOrExit();
      // stdout is the conversation: logs go to stderr, and only warnings unless asked for more.
      const level = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace' ? env.LOG_LEVEL : 'warn';
      const logger = pino({ level, base: null }, pino.destination(2)) as unknown as Logger;
      const interactive = process.stdin.isTTY === true;

      const database = await openDatabase(env, logger);
      const store = await openEventStore(env, database, logger);
      const codec = await openCodec(env, database, logger);
      const knowledge = new ProjectionRunner({
        definition: knowledgeProjection,
        pool: database.pool,
        lockConfig: database.listenConfig,
        store,
        codec,
        logger,
      });
      const conversation = terminalConversation(options.conversation);
      const presenter = new TerminalPresenter(process.stdout, conversation.id);
      let agent: Awaited<ReturnType<typeof startAgent>> | null = null;
      const shutdown = async () => {
        await agent?.stop();
        await knowledge.stop();
        await store.close();
        await database.close();
      };
      try {
        agent = await startAgent({ env, database, store, codec, logger, presenter, guest: true });
        knowledge.start();
        await waitForKnowledge(database.pool, store);
        // Give the agent a moment to take the work; while a server's agent runs, this one (a guest)
        // takes none, and the server's replies are read from the store.
        const started = agent;
        const answersHere = () => (started.backlog()?.partitions.owned ?? 0) > 0;
        for (let waited = 0; waited < 1500 && !answersHere(); waited += 50)
          await new Promise((r) => setTimeout(r, 50));
        if (interactive) {
          const where = answersHere() ? 'this process' : 'the running server';
          process.stderr.write(
            `${env.APP_NAME} — chat as ${options.user} (${conversation.id}; replies from ${where})\n${help}\n`,
          );
        }
        const session = new ChatSession({
          writer: { store, codec, inactivityMs: env.SESSION_INACTIVITY_MINUTES * 60_000 },
          conversation,
          userId: options.user,
          presenter,
          out: process.stdout,
        });
        const lines = createInterface({ input: process.stdin, terminal: interactive });
        if (interactive) {
          lines.setPrompt('あなた> ');
          lines.prompt();
        }
        for await (const raw of lines) {
          const line = raw.trim();
          if (line === '/quit' || line === '/exit') break;
          if (line === '/help') process.stdout.write(help);
          else if (line === '/end') await session.end();
          else if (line !== '') await session.say(line);
          if (interactive) lines.prompt();
        }
        lines.close();
      } catch (error) {
        process.stderr.write(`chat failed: ${(error as Error).message}\n`);
        await shutdown().catch(() => {});
        process.exit(1);
      }
      await shutdown();
      process.exit(0);
    });
