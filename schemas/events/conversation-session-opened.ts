import { z } from 'zod';
import { defineEvent } from './envelope.ts';
import { Conversation, SessionMode } from './session-started.ts';

/**
 * A session as it stood when a conversation written in the single-stream layout (every session
 * of a conversation in one stream) moved to the layout of a stream per session: its state is
 * carried here, so the rest of that session is read from this revision on, not from the start.
 */
export const SessionSnapshot = z.object({
  lastActivityAt: z.iso.datetime({ offset: true }),
  nextSeq: z.number().int().min(0),
  ended: z.boolean(),
  userMessages: z.array(z.string()),
  assistantMessages: z.array(z.string()),
  repliedTo: z.array(z.string()),
  insightsFor: z.array(z.string()),
  feedback: z.record(z.string(), z.enum(['up', 'down'])),
});
export type SessionSnapshot = z.infer<typeof SessionSnapshot>;

/**
 * The conversation's current session moved (the conversation stream holds one such event per
 * session; its newest one says where to write). A new session's stream starts at revision 0 and
 * its SessionStarted event says what this event says (whoever writes the session's first event
 * writes it from here). A session under way in the single-stream layout is read from
 * `fromRevision` of that stream, on top of `snapshot`.
 */
export const ConversationSessionOpenedData = z.object({
  sessionId: z.uuid(),
  conversation: Conversation,
  userId: z.string().min(1),
  mode: SessionMode,
  /** The buyer persona of a roleplay session this event starts. */
  persona: z.string().nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  /** The stream holding the session's events. */
  streamId: z.string().min(1),
  fromRevision: z.number().int().min(0),
  snapshot: SessionSnapshot.nullable(),
  /** The conversation's recent user message ids, carried over: a redelivered message is recognised. */
  recentMessageIds: z.array(z.string()),
});
export type ConversationSessionOpenedData = z.infer<typeof ConversationSessionOpenedData>;

export const ConversationSessionOpened = defineEvent({
  type: 'ConversationSessionOpened',
  version: 1,
  schema: ConversationSessionOpenedData,
  previous: {},
  personalFields: ['persona'],
  subjectOf: (d) => d.userId,
});
