import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';
import { suggestionsFor } from '../assistant/suggestions.ts';

/**
 * The rep opened the Home tab: publish their dashboard. The rep opened the Messages tab (the
 * agent view's conversation with the app): suggested prompts at the top of it (no thread: Slack
 * sets them for the conversation). Not awaited, so the event is acknowledged at once.
 */
export const appHomeOpened =
  (deps: SlackEdgeDeps) =>
  async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    const userId = event.user;
    if (typeof userId !== 'string') return;
    if (event.tab === 'messages' && typeof event.channel === 'string') {
      const channel = event.channel;
      void (async () => {
        const t = textsFor(await deps.languageOf(userId));
        await deps.client.assistant.threads.setSuggestedPrompts({
          channel_id: channel,
          ...suggestionsFor(t),
        });
      })().catch((error: unknown) =>
        deps.logger.warn({ err: error, userId }, 'slack: could not set the suggested prompts'),
      );
      return;
    }
    if (event.tab !== 'home') return;
    deps.publishHome(userId).catch((error: unknown) => {
      deps.logger.warn({ err: error, userId }, 'slack: could not publish the Home tab');
    });
  };
