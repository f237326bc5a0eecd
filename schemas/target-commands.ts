import { z } from 'zod';
import { CalendarDate, TargetLevel, TargetRubric, TargetSkill } from './targets.ts';

/**
 * Commands on a rep's coaching plan: skill targets (set by their manager, or through the API)
 * and whether they get the weekly digest. Clock, ids and actor come from the command metadata.
 */
export const SetSkillTarget = z.object({
  type: z.literal('SetSkillTarget'),
  userId: z.string().min(1),
  rubric: TargetRubric,
  skill: TargetSkill,
  level: TargetLevel,
  dueDate: CalendarDate,
  setBy: z.string().min(1),
});

export const ClearSkillTarget = z.object({
  type: z.literal('ClearSkillTarget'),
  userId: z.string().min(1),
  rubric: TargetRubric,
  skill: TargetSkill,
  clearedBy: z.string().min(1),
});

export const SetDigestPreference = z.object({
  type: z.literal('SetDigestPreference'),
  userId: z.string().min(1),
  enabled: z.boolean(),
  via: z.enum(['home', 'message', 'api', 'cli']),
});

export const TargetCommand = z.discriminatedUnion('type', [SetSkillTarget, ClearSkillTarget]);
export type TargetCommand = z.infer<typeof TargetCommand>;
export type TargetCommandOf<T extends TargetCommand['type']> = Extract<TargetCommand, { type: T }>;
export type SetDigestPreference = z.infer<typeof SetDigestPreference>;
