import { skillKeys } from '../../../schemas/skills.ts';

/** The skills a review scores: the default rubric's until rubrics are data. */
export const reviewSkills: readonly string[] = skillKeys;
