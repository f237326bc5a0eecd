import { z } from 'zod';
import { builtInRubric, checkScores, defaultRubricRef, RubricRef, RubricScores } from '../rubrics.ts';
import { SkillScores } from '../skills.ts';
import { defineEvent } from './envelope.ts';

/** Version 1: the five core skills, the model's name, nothing else about how the score was made. */
export const InsightDerivedV1Data = z.object({
  insightId: z.uuid(),
  sessionId: z.uuid(),
  userId: z.string().min(1),
  basedOnMessageId: z.string().nullable(),
  scores: SkillScores,
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  nextActions: z.array(z.string()),
  summary: z.string(),
  model: z.string(),
  derivedAt: z.iso.datetime({ offset: true }),
});

export const LlmProviderName = z.enum(['openai', 'anthropic', 'mock']);
export type LlmProviderName = z.infer<typeof LlmProviderName>;

/** The fields of the current version, without the cross-field check (commands pick from it). */
export const InsightDerivedFields = z.object({
  insightId: z.uuid(),
  sessionId: z.uuid(),
  userId: z.string().min(1),
  /** The message whose exchange the insight is about (or null for a whole-session insight). */
  basedOnMessageId: z.string().nullable(),
  /** The rubric version the scores are on. */
  rubric: RubricRef,
  /** Skill key of that rubric → 1..5. */
  scores: RubricScores,
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  nextActions: z.array(z.string()),
  summary: z.string(),
  /** Which provider judged; null only for insights recorded before it was kept, when unknown. */
  provider: LlmProviderName.nullable(),
  /** `mock-coach-1`, `gpt-4o`, …: which model judged. */
  model: z.string(),
  /** sha256 (hex) of the exact messages and model parameters sent; null before it was kept. */
  promptHash: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .nullable(),
  /** `live` while coaching; `rescore` from `salesai rescore`, beside the session's earlier insights. */
  origin: z.enum(['live', 'rescore']),
  derivedAt: z.iso.datetime({ offset: true }),
});

export const InsightDerivedData = InsightDerivedFields.superRefine((d, ctx) => {
  // Built-in rubrics are known here; published ones are checked by the writer that knows them.
  const known = builtInRubric(d.rubric);
  const problem = known ? checkScores(known, d.scores) : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['scores'], message: problem });
});
export type InsightDerivedData = z.infer<typeof InsightDerivedData>;

/** What a dialogue stream remembers of an insight already derived (so it is recorded once). */
export const insightBasisKey = (
  d: Pick<InsightDerivedData, 'basedOnMessageId' | 'rubric' | 'origin'>,
): string =>
  d.origin === 'rescore' ? `rescore:${d.rubric.id}@${d.rubric.version}` : (d.basedOnMessageId ?? 'session');

/** The provider a v1 insight's model name shows, when it shows one. */
export const providerOfModel = (model: string): LlmProviderName | null => {
  if (/^mock/i.test(model)) return 'mock';
  if (/^claude/i.test(model)) return 'anthropic';
  if (/^(gpt|o\d|chatgpt|text-)/i.test(model)) return 'openai';
  return null;
};

export const InsightDerived = defineEvent({
  type: 'InsightDerived',
  version: 2,
  schema: InsightDerivedData,
  previous: {
    1: {
      schema: InsightDerivedV1Data,
      upcast: (v1: z.infer<typeof InsightDerivedV1Data>): InsightDerivedData => ({
        ...v1,
        rubric: { ...defaultRubricRef },
        scores: { ...v1.scores },
        provider: providerOfModel(v1.model),
        promptHash: null,
        origin: 'live',
      }),
    },
  },
  personalFields: ['strengths', 'improvements', 'nextActions', 'summary'],
  subjectOf: (d) => d.userId,
});
