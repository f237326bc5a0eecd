import { z } from 'zod';
import { SlackUserId } from '../slack-ids.ts';
import { CalendarDate, defaultTargetRubric, TargetLevel, TargetRubric, TargetSkill } from '../targets.ts';

/** Shapes of the read API's targets and team growth routes. */
export const TargetBody = z.object({
  skill: TargetSkill,
  level: TargetLevel,
  dueDate: CalendarDate,
  rubric: TargetRubric.default(defaultTargetRubric),
});

export const TargetParams = z.object({ userId: SlackUserId, skill: TargetSkill });
export const RubricQuery = z.object({
  rubric: z.string().min(1).max(64).default(defaultTargetRubric.id),
  rubricVersion: z.coerce.number().int().min(1).default(defaultTargetRubric.version),
});
export const ManagerParams = z.object({ managerId: SlackUserId });

export const TargetProgressItem = z.object({
  targetId: z.uuid(),
  userId: z.string(),
  rubric: TargetRubric,
  skill: z.string(),
  level: z.number(),
  dueDate: CalendarDate,
  setBy: z.string(),
  setAt: z.string(),
  current: z.number().nullable(),
  gap: z.number().nullable(),
  daysLeft: z.number().int(),
  projected: z.number().nullable(),
  status: z.enum(['achieved', 'on_track', 'at_risk', 'overdue', 'no_data']),
});
export const TargetList = z.object({
  userId: z.string(),
  today: CalendarDate,
  items: z.array(TargetProgressItem),
});
export const TargetWriteResult = z.object({ status: z.enum(['set', 'cleared', 'unchanged']) });

export const GrowthRankItem = z.object({
  rank: z.number().int(),
  userId: z.string(),
  displayName: z.string(),
  slope: z.number().nullable(),
  slopes: z.record(z.string(), z.number()).nullable(),
  sessions: z.number().int(),
  latest: z.number().nullable(),
  lastSessionAt: z.string().nullable(),
});
export const TeamGrowth = z.object({
  managerId: z.string(),
  /** GROWTH_WINDOW_SESSIONS: sessions each slope is fitted over. */
  window: z.number().int(),
  items: z.array(GrowthRankItem),
});
