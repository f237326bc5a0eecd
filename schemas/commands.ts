import { z } from 'zod';
import { Actor } from './events/envelope.ts';
import { InsightDerivedFields } from './events/insight-derived.ts';
import { Citation } from './events/message-received.ts';
import { Conversation, SessionMode } from './events/session-started.ts';

/**
 * Commands: what an edge (Slack, CLI, the agent reactor) asks the write side to do.
 * Metadata carries the clock, the idempotency key and the actor, so deciders stay pure.
 */
export const CommandMetadata = z.object({
  /** Same key → same event ids: a retried command appends nothing new. */
  idempotencyKey: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  now: z.iso.datetime({ offset: true }),
  actor: Actor,
  slackEventId: z.string().optional(),
});
export type CommandMetadata = z.infer<typeof CommandMetadata>;

export const ReceiveUserMessage = z.object({
  type: z.literal('ReceiveUserMessage'),
  conversation: Conversation,
  userId: z.string().min(1),
  messageId: z.string().min(1),
  text: z.string().max(40_000),
  sentAt: z.iso.datetime({ offset: true }),
  /** Starts a roleplay session when no session is open (or ends the open one first). */
  startMode: SessionMode.optional(),
  persona: z.string().optional(),
});

export const RecordAssistantReply = z.object({
  type: z.literal('RecordAssistantReply'),
  conversationId: z.string().min(1),
  sessionId: z.uuid(),
  replyTo: z.string().min(1),
  text: z.string(),
  citations: z.array(Citation),
});

export const RecordInsight = z.object({
  type: z.literal('RecordInsight'),
  conversationId: z.string().min(1),
  insight: InsightDerivedFields.omit({ insightId: true, derivedAt: true }),
  /** The skill keys of the insight's rubric version: its scores must name exactly these. */
  skillKeys: z.array(z.string().min(1)).min(1),
});

export const EndSession = z.object({
  type: z.literal('EndSession'),
  conversationId: z.string().min(1),
  sessionId: z.uuid(),
  reason: z.enum(['user', 'roleplay_finished', 'system']),
});

export const GiveFeedback = z.object({
  type: z.literal('GiveFeedback'),
  conversationId: z.string().min(1),
  sessionId: z.uuid(),
  messageId: z.string().min(1),
  userId: z.string().min(1),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(2000).nullable(),
});

export const DialogueCommand = z.discriminatedUnion('type', [
  ReceiveUserMessage,
  RecordAssistantReply,
  RecordInsight,
  EndSession,
  GiveFeedback,
]);
export type DialogueCommand = z.infer<typeof DialogueCommand>;
export type CommandOf<T extends DialogueCommand['type']> = Extract<DialogueCommand, { type: T }>;
