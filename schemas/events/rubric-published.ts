import { z } from 'zod';
import { LocalizedText, RubricId, RubricSkills } from '../rubrics.ts';
import { defineEvent } from './envelope.ts';

/** A rubric version, published by ops (`salesai rubric publish`); one stream per rubric id. */
export const RubricPublishedData = z.object({
  /** The rubric's id: `{ id, version, name, skills }` is the rubric itself (schemas/rubrics.ts). */
  id: RubricId,
  /** Strictly increasing per rubric id; the built-in rubrics are version 1 without an event. */
  version: z.number().int().positive(),
  name: LocalizedText,
  skills: RubricSkills,
  publishedAt: z.iso.datetime({ offset: true }),
});
export type RubricPublishedData = z.infer<typeof RubricPublishedData>;

export const RubricPublished = defineEvent({
  type: 'RubricPublished',
  version: 1,
  schema: RubricPublishedData,
  previous: {},
  // A methodology's wording, not anybody's personal data.
  personalFields: [],
  subjectOf: () => undefined,
});
