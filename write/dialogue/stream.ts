import type { Conversation } from '../../schemas/events/index.ts';

/**
 * A conversation is a Slack thread, or the top level of a DM (`thread` = `dm`); it holds the
 * sessions held in it, one after another.
 */
export const conversationId = (teamId: string, channelId: string, threadTs: string | null): string =>
  `${teamId}:${channelId}:${threadTs ?? 'dm'}`;

/**
 * Each session has a stream of its own: the consistency boundary of every dialogue command, so a
 * command costs what its session holds, never what the conversation ever held.
 */
export const sessionStreamId = (conversationIdValue: string, sessionId: string): string =>
  `dialogue-${conversationIdValue}/${sessionId}`;

/**
 * The conversation stream: one small `ConversationSessionOpened` event per session, the newest
 * naming the session to write to (and carrying over what the next session must know).
 */
export const conversationStreamId = (conversationIdValue: string): string =>
  `conversation-${conversationIdValue}`;

/**
 * The single-stream layout of earlier versions: every session of a conversation in one stream.
 * Stores written that way stay as they are; these streams are read (a session under way in one
 * goes on in it) and nothing new starts in them.
 */
export const dialogueStreamId = (conversationIdValue: string): string => `dialogue-${conversationIdValue}`;

/** The conversation a dialogue stream (either layout) belongs to. */
export const conversationOfStream = (streamId: string): string => {
  const id = streamId.startsWith('dialogue-') ? streamId.slice('dialogue-'.length) : streamId;
  const slash = id.lastIndexOf('/');
  return slash !== -1 && uuidPattern.test(id.slice(slash + 1)) ? id.slice(0, slash) : id;
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isDirectTopLevel = (conversation: Conversation): boolean => conversation.threadTs === null;

/**
 * What the closing reply of a session answers instead of a user message: the scorecard of a
 * roleplay that was ended by EndSession or inactivity rather than by the rep's 「終了」.
 */
export const closingReplyTo = (sessionId: string): string => `session-end:${sessionId}`;
