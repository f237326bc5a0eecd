import type { AllMiddlewareArgs, AssistantUserMessageMiddleware } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';
import { conversationState } from '../../record-message.ts';
import { recordMessageEvent } from '../events/message.ts';
import { titleFrom } from './suggestions.ts';

type Args = Parameters<AssistantUserMessageMiddleware>[0] & AllMiddlewareArgs;

/**
 * A message in an assistant thread (a thread of the rep's DM): recorded like any DM, through the
 * same command path (idempotent per event id), so the agent answers it in that thread. The first
 * message of a thread also names it: the thread's title becomes the message's first line.
 */
export const userMessage =
  (deps: SlackEdgeDeps) =>
  async ({ body, event, context, setTitle }: Args) => {
    const recorded = await recordMessageEvent(deps, { body, event, context });
    if (!recorded?.isNew || !recorded.conversation.threadTs) return;
    void (async () => {
      const state = await conversationState(deps, recorded.conversation.id);
      if (Object.keys(state.sessions).length !== 1 || state.current?.userMessages.length !== 1) return;
      await setTitle(titleFrom(recorded.text));
    })().catch((error: unknown) =>
      // A DM thread that is not the assistant's (a roleplay started from Home) has no title to set.
      deps.logger.debug({ err: error }, 'slack: could not set the thread title'),
    );
  };
