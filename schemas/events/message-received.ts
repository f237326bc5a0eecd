import { z } from 'zod';
import { defineEvent } from './envelope.ts';

export const MessageRole = z.enum(['user', 'assistant']);
export type MessageRole = z.infer<typeof MessageRole>;

export const Citation = z.object({
  documentId: z.string().min(1),
  title: z.string(),
  version: z.number().int().positive().optional(),
  /** The part of the document that answers: its section heading, page or slide. */
  section: z.string().optional(),
});
export type Citation = z.infer<typeof Citation>;

/** Version 1, as stored by the first release: the text was called `content`, no format, no citations. */
export const MessageReceivedV1Data = z.object({
  sessionId: z.uuid(),
  messageId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  userId: z.string().min(1),
  role: MessageRole,
  content: z.string(),
  sentAt: z.iso.datetime({ offset: true }),
});

export const MessageReceivedData = z.object({
  sessionId: z.uuid(),
  /** The Slack message ts (or the CLI's id) for user messages; derived from the reply's cause for assistant ones. */
  messageId: z.string().min(1),
  /** Order of the message within its session, from 0. */
  seq: z.number().int().nonnegative(),
  userId: z.string().min(1),
  role: MessageRole,
  text: z.string(),
  format: z.enum(['plain', 'markdown']),
  /** For assistant replies: the user message answered. */
  replyTo: z.string().nullable(),
  /** Knowledge documents the reply was grounded on. */
  citations: z.array(Citation),
  sentAt: z.iso.datetime({ offset: true }),
});
export type MessageReceivedData = z.infer<typeof MessageReceivedData>;

export const MessageReceived = defineEvent({
  type: 'MessageReceived',
  version: 2,
  schema: MessageReceivedData,
  previous: {
    1: {
      schema: MessageReceivedV1Data,
      upcast: ({ content, ...rest }: z.infer<typeof MessageReceivedV1Data>): MessageReceivedData => ({
        ...rest,
        text: content,
        format: rest.role === 'assistant' ? 'markdown' : 'plain',
        replyTo: null,
        citations: [],
      }),
    },
  },
  personalFields: ['text'],
  subjectOf: (d) => d.userId,
});
