import { type CommandMetadata, ReceiveUserMessage } from '../schemas/commands.ts';
import type { Conversation } from '../schemas/events/index.ts';
import { sendDialogueCommand } from '../write/agent/dialogue-commands.ts';
import { sessionModeFields } from '../write/agent/intent.ts';
import { loadCurrentSession } from '../write/dialogue/load.ts';
import type { DialogueState } from '../write/dialogue/state.ts';
import type { SlackEdgeDeps } from './deps.ts';
import { tsToIso } from './text/slack-text.ts';

export type IncomingMessage = {
  conversation: Conversation;
  userId: string;
  /** The Slack message ts: the message's id within its channel. */
  ts: string;
  text: string;
  /** The Events API `event_id`: the idempotency key, so Slack's retries record nothing new. */
  eventId: string;
  /** The envelope's `event_time` (seconds). */
  eventTime?: number | undefined;
};

/**
 * Records a rep's message (`ReceiveUserMessage`). The reply comes from the agent reactor, which
 * sees the recorded message. A roleplay request (「ロールプレイ: …」) starts a roleplay session.
 * Returns whether anything new was recorded (false for a retry or a redelivery).
 */
export const recordUserMessage = async (deps: SlackEdgeDeps, message: IncomingMessage): Promise<boolean> => {
  const command = ReceiveUserMessage.parse({
    type: 'ReceiveUserMessage',
    conversation: message.conversation,
    userId: message.userId,
    messageId: message.ts,
    text: message.text,
    sentAt: tsToIso(message.ts),
    ...sessionModeFields(message.text),
  });
  const metadata: CommandMetadata = {
    idempotencyKey: `slack-event:${message.eventId}`,
    correlationId: message.eventId,
    causationId: null,
    now: message.eventTime ? new Date(message.eventTime * 1000).toISOString() : deps.clock().toISOString(),
    actor: { kind: 'user', id: message.userId },
    slackEventId: message.eventId,
  };
  const result = await sendDialogueCommand(deps, command, metadata);
  return result.events.length > 0;
};

/** The conversation's current session as the decider sees it; the initial state when it has none. */
export const conversationState = async (
  deps: SlackEdgeDeps,
  conversationId: string,
): Promise<DialogueState> => (await loadCurrentSession(deps, conversationId)).state;
