import type { Conversation } from '../../schemas/events/index.ts';

/**
 * Where a rep's private coaching data (skill profile, weakest skills, scores) may appear in a
 * reply: only a direct conversation with the coach (a Slack DM, the terminal chat). A reply in a
 * channel or a group DM is read by others, as /ai_history and App Home are not.
 */
export const isPrivateConversation = (conversation: Conversation): boolean =>
  conversation.channelKind === 'im' || conversation.channelKind === 'cli';
