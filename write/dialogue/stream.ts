import type { Conversation } from '../../schemas/events/index.ts';

/**
 * A conversation is a Slack thread, or the top level of a DM (`thread` = `dm`); it holds the
 * sessions held in it, one after another.
 */
export const conversationId = (teamId: string, channelId: string, threadTs: string | null): string =>
  `${teamId}:${channelId}:${threadTs ?? 'dm'}`;

export const dialogueStreamId = (conversationIdValue: string): string => `dialogue-${conversationIdValue}`;

export const isDirectTopLevel = (conversation: Conversation): boolean => conversation.threadTs === null;

/**
 * What the closing reply of a session answers instead of a user message: the scorecard of a
 * roleplay that was ended by EndSession or inactivity rather than by the rep's 「終了」.
 */
export const closingReplyTo = (sessionId: string): string => `session-end:${sessionId}`;
