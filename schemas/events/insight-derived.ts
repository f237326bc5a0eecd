import { z } from 'zod';
import { SkillScores } from '../skills.ts';
import { defineEvent } from './envelope.ts';

export const InsightDerivedData = z.object({
  insightId: z.uuid(),
  sessionId: z.uuid(),
  userId: z.string().min(1),
  /** The message whose exchange the insight is about (or null for a whole-session insight). */
  basedOnMessageId: z.string().nullable(),
  scores: SkillScores,
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  nextActions: z.array(z.string()),
  summary: z.string(),
  /** `mock-coach-1`, `gpt-4o`, …: which model judged. */
  model: z.string(),
  derivedAt: z.iso.datetime({ offset: true }),
});
export type InsightDerivedData = z.infer<typeof InsightDerivedData>;

export const InsightDerived = defineEvent({
  type: 'InsightDerived',
  version: 1,
  schema: InsightDerivedData,
  previous: {},
  personalFields: ['strengths', 'improvements', 'nextActions', 'summary'],
  subjectOf: (d) => d.userId,
});
