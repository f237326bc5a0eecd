import { z } from 'zod';
import { defineEvent } from './envelope.ts';

export const SessionEndReason = z.enum(['user', 'inactivity', 'roleplay_finished', 'system']);

export const SessionEndedData = z.object({
  sessionId: z.uuid(),
  userId: z.string().min(1),
  reason: SessionEndReason,
  endedAt: z.iso.datetime({ offset: true }),
});
export type SessionEndedData = z.infer<typeof SessionEndedData>;

export const SessionEnded = defineEvent({
  type: 'SessionEnded',
  version: 1,
  schema: SessionEndedData,
  previous: {},
  personalFields: [],
  subjectOf: (d) => d.userId,
});
