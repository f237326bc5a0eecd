import { z } from 'zod';
import { CalendarDate, TargetLevel, TargetRubric, TargetSkill } from '../targets.ts';
import { defineEvent } from './envelope.ts';

export const SkillTargetSetData = z.object({
  targetId: z.uuid(),
  /** The rep the target is for. */
  userId: z.string().min(1),
  rubric: TargetRubric,
  skill: TargetSkill,
  level: TargetLevel,
  dueDate: CalendarDate,
  /** The manager (Slack user id) or API key (`api:<name>`) who set it. */
  setBy: z.string().min(1),
  setAt: z.iso.datetime({ offset: true }),
});
export type SkillTargetSetData = z.infer<typeof SkillTargetSetData>;

export const SkillTargetSet = defineEvent({
  type: 'SkillTargetSet',
  version: 1,
  schema: SkillTargetSetData,
  previous: {},
  personalFields: [],
  subjectOf: (d) => d.userId,
});

export const SkillTargetClearedData = z.object({
  targetId: z.uuid(),
  userId: z.string().min(1),
  rubric: TargetRubric,
  skill: TargetSkill,
  clearedBy: z.string().min(1),
  clearedAt: z.iso.datetime({ offset: true }),
});
export type SkillTargetClearedData = z.infer<typeof SkillTargetClearedData>;

/** A target withdrawn before its date (reaching or missing it needs no event: it is read from the scores). */
export const SkillTargetCleared = defineEvent({
  type: 'SkillTargetCleared',
  version: 1,
  schema: SkillTargetClearedData,
  previous: {},
  personalFields: [],
  subjectOf: (d) => d.userId,
});
