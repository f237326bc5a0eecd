import { z } from 'zod';
import { defineEvent } from './envelope.ts';

export const ChannelKind = z.enum(['im', 'channel', 'group', 'mpim', 'cli']);
export type ChannelKind = z.infer<typeof ChannelKind>;

export const Conversation = z.object({
  /** `team:channel:thread` — a Slack thread, or a DM conversation (thread `dm`). */
  id: z.string().min(1),
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  channelKind: ChannelKind,
  threadTs: z.string().nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

export const SessionMode = z.enum(['coaching', 'roleplay']);

export const SessionStartedData = z.object({
  sessionId: z.uuid(),
  userId: z.string().min(1),
  conversation: Conversation,
  mode: SessionMode,
  /** The buyer persona the agent plays in a roleplay session. */
  persona: z.string().nullable(),
  startedAt: z.iso.datetime({ offset: true }),
});
export type SessionStartedData = z.infer<typeof SessionStartedData>;

export const SessionStarted = defineEvent({
  type: 'SessionStarted',
  version: 1,
  schema: SessionStartedData,
  previous: {},
  personalFields: ['persona'],
  subjectOf: (d) => d.userId,
});
