import { z } from 'zod';
import { SkillTargetClearedData, SkillTargetSetData } from './events/skill-targets.ts';

/**
 * Commands on a rep's coaching plan: skill targets (set by their manager, or through the API)
 * and whether they get the weekly digest. Clock, ids and actor come from the command metadata.
 */
export const SetSkillTarget = SkillTargetSetData.omit({ targetId: true, setAt: true }).extend({
  type: z.literal('SetSkillTarget'),
});

export const ClearSkillTarget = SkillTargetClearedData.omit({ targetId: true, clearedAt: true }).extend({
  type: z.literal('ClearSkillTarget'),
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
