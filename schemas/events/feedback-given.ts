import { z } from 'zod';
import { defineEvent } from './envelope.ts';

export const FeedbackGivenData = z.object({
  sessionId: z.uuid(),
  /** The assistant message rated. */
  messageId: z.string().min(1),
  userId: z.string().min(1),
  rating: z.enum(['up', 'down']),
  comment: z.string().nullable(),
  givenAt: z.iso.datetime({ offset: true }),
});
export type FeedbackGivenData = z.infer<typeof FeedbackGivenData>;

export const FeedbackGiven = defineEvent({
  type: 'FeedbackGiven',
  version: 1,
  schema: FeedbackGivenData,
  previous: {},
  personalFields: ['comment'],
  subjectOf: (d) => d.userId,
});
