import { z } from 'zod';
import { RubricDefinition, RubricRef, TeamKey } from './rubrics.ts';

/** Commands of the rubric catalogue (from `salesai rubric …`). The write side assigns versions and the clock. */
export const PublishRubric = z.object({
  type: z.literal('PublishRubric'),
  rubric: RubricDefinition,
});

export const ChooseTeamRubric = z.object({
  type: z.literal('ChooseTeamRubric'),
  teamId: TeamKey,
  rubric: RubricRef,
});

export const RubricCommand = z.discriminatedUnion('type', [PublishRubric, ChooseTeamRubric]);
export type RubricCommand = z.infer<typeof RubricCommand>;
export type RubricCommandOf<T extends RubricCommand['type']> = Extract<RubricCommand, { type: T }>;
