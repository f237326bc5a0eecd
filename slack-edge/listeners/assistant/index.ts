import { type App, Assistant } from '@slack/bolt';
import { z } from 'zod';
import type { SlackEdgeDeps } from '../../deps.ts';
import { threadContextChanged } from './context-changed.ts';
import { threadStarted } from './thread-started.ts';
import { userMessage } from './user-message.ts';

/**
 * Bolt's Assistant: the pane's threads (`assistant_thread_started`,
 * `assistant_thread_context_changed`) and the messages written in DM threads. The thread
 * context is not stored: Bolt's default store would rewrite our first message's metadata.
 */
export const registerAssistant = (app: App, deps: SlackEdgeDeps) => {
  const assistant = new Assistant({
    threadContextStore: { get: async () => ({}), save: async () => {} },
    threadStarted: threadStarted(deps),
    threadContextChanged: threadContextChanged(deps),
    userMessage: userMessage(deps),
  });
  // What app.assistant() does, for payloads Bolt's Assistant can take: it reads payload.type
  // unguarded, and throws (a 500, retried by Slack for ever) when a thread's channel or ts is
  // not a string. Anything else goes on to the other listeners, which ignore what they cannot read.
  const middleware = assistant.getMiddleware();
  app.use(async (args) => (hasThread(args.payload) ? middleware(args) : args.next()));
};

const text = z.string().min(1);

/** A payload whose thread Bolt's Assistant can find: the pane's events, or a message in a thread. */
const hasThread = (payload: unknown) =>
  z
    .union([
      z.looseObject({ assistant_thread: z.looseObject({ channel_id: text, thread_ts: text }) }),
      z.looseObject({ type: z.literal('message'), channel: text, thread_ts: text }),
      z.looseObject({ type: z.string().refine((t) => !t.startsWith('assistant_thread') && t !== 'message') }),
    ])
    .safeParse(payload).success;
