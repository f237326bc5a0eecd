import { z } from 'zod';
import type { Rubric } from '../../../schemas/rubrics.ts';

const text = (max: number) =>
  z
    .string()
    // refine, not min/max: OpenAI's strict structured output rejects minLength/maxLength in the schema.
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .refine((s) => s.length <= max, `must be at most ${max} characters`);

const score = z.number().int().min(1).max(5);

/**
 * What the model must return for an insight (or a roleplay scorecard): each skill of the rubric
 * scored 1–5, strengths, improvements, next actions and a summary. Ids, the session and the
 * clock are the agent's, not the model's.
 */
export const insightOutputSchema = (rubric: Pick<Rubric, 'skills'>) =>
  z.object({
    scores: z.object(Object.fromEntries(rubric.skills.map((s) => [s.key, score]))).strict(),
    strengths: z.array(text(400)).max(5),
    improvements: z.array(text(400)).max(5),
    nextActions: z.array(text(400)).max(5),
    summary: text(2000),
  });

export type InsightOutput = {
  scores: Record<string, number>;
  strengths: string[];
  improvements: string[];
  nextActions: string[];
  summary: string;
};

/**
 * The JSON schema sent with the request (`ChatRequest.json`): every property required and no
 * others allowed, as OpenAI's strict mode wants; without `$schema`, which some endpoints refuse.
 */
export const insightJsonSchema = (rubric: Pick<Rubric, 'skills'>): Record<string, unknown> => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(insightOutputSchema(rubric)) as Record<
    string,
    unknown
  >;
  return schema;
};
