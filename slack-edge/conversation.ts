import type { ChannelKind, Conversation } from '../schemas/events/index.ts';
import { conversationId } from '../write/dialogue/stream.ts';

/** Slack's `channel_type` (or, without it, the channel id's prefix) as our channel kind. */
export const channelKindOf = (channelId: string, channelType?: string): Exclude<ChannelKind, 'cli'> => {
  if (
    channelType === 'im' ||
    channelType === 'channel' ||
    channelType === 'group' ||
    channelType === 'mpim'
  ) {
    return channelType;
  }
  if (channelId.startsWith('D')) return 'im';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
};

/**
 * The conversation a Slack message belongs to: its thread, or the top level of a DM. A channel
 * message outside a thread (a mention) starts a thread on itself, so its conversation is that thread.
 */
export const conversationOf = (
  teamId: string,
  channelId: string,
  kind: Exclude<ChannelKind, 'cli'>,
  ts: string,
  threadTs: string | undefined,
): Conversation => {
  const thread = threadTs ?? (kind === 'im' ? null : ts);
  return {
    id: conversationId(teamId, channelId, thread),
    teamId,
    channelId,
    channelKind: kind,
    threadTs: thread,
  };
};
