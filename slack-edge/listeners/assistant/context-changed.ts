import type { AssistantThreadContextChangedMiddleware } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';

/**
 * The rep moved to another channel while the pane is open. The coach answers from the
 * conversation and the knowledge base, never from the channel the rep is looking at (it would
 * need to read it), so the context is acknowledged and not kept.
 */
export const threadContextChanged =
  (deps: SlackEdgeDeps): AssistantThreadContextChangedMiddleware =>
  async ({ event }) => {
    deps.logger.debug(
      { channel: event.assistant_thread.channel_id, threadTs: event.assistant_thread.thread_ts },
      'slack: assistant thread context changed (not used)',
    );
  };
