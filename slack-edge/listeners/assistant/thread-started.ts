import type { AllMiddlewareArgs, AssistantThreadStartedMiddleware } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';
import { suggestionsFor } from './suggestions.ts';

type Args = Parameters<AssistantThreadStartedMiddleware>[0] & AllMiddlewareArgs;

/**
 * The rep opened the assistant pane (a new thread): suggested prompts in their language. Not
 * awaited, so the event is acknowledged at once.
 */
export const threadStarted =
  (deps: SlackEdgeDeps) =>
  async ({ event, setSuggestedPrompts }: Args) => {
    const userId = event.assistant_thread.user_id;
    if (typeof userId !== 'string') return;
    void (async () => {
      await setSuggestedPrompts(suggestionsFor(textsFor(await deps.languageOf(userId))));
    })().catch((error: unknown) =>
      deps.logger.warn({ err: error, userId }, 'slack: could not set the suggested prompts'),
    );
  };
