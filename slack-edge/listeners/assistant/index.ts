import { type App, Assistant } from '@slack/bolt';
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
  app.assistant(
    new Assistant({
      threadContextStore: { get: async () => ({}), save: async () => {} },
      threadStarted: threadStarted(deps),
      threadContextChanged: threadContextChanged(deps),
      userMessage: userMessage(deps),
    }),
  );
};
