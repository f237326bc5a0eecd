import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import { skillKeys } from '../../schemas/skills.ts';
import type { TargetCommand, TargetCommandOf } from '../../schemas/target-commands.ts';
import type { TargetRubric } from '../../schemas/targets.ts';
import type { EventDraft } from '../event-draft.ts';
import { deterministicId } from '../ids.ts';
import { type TargetsState, targetKey } from './state.ts';

export type TargetsContext = { metadata: CommandMetadata };

/** The skills of the rubrics this build knows; other rubrics accept any well-formed key. */
const knownSkills = (rubric: TargetRubric): readonly string[] | null =>
  rubric.id === 'core' && rubric.version === 1 ? skillKeys : null;

/** Setting the target that is already active is a no-op; a due date in the past is refused. */
const set = (
  command: TargetCommandOf<'SetSkillTarget'>,
  state: TargetsState,
  { metadata }: TargetsContext,
): EventDraft[] => {
  const skills = knownSkills(command.rubric);
  if (skills && !skills.includes(command.skill)) {
    throw new AppError(
      'VALIDATION',
      `${command.skill} is not a skill of rubric ${command.rubric.id} v${command.rubric.version} (${skills.join(', ')})`,
    );
  }
  if (command.dueDate < metadata.now.slice(0, 10)) {
    throw new AppError('VALIDATION', `dueDate ${command.dueDate} is in the past`);
  }
  const active = state.active[targetKey(command.rubric, command.skill)];
  if (active && active.level === command.level && active.dueDate === command.dueDate) return [];
  return [
    {
      type: 'SkillTargetSet',
      data: {
        targetId: deterministicId('skill-target', metadata.idempotencyKey),
        userId: command.userId,
        rubric: command.rubric,
        skill: command.skill,
        level: command.level,
        dueDate: command.dueDate,
        setBy: command.setBy,
        setAt: metadata.now,
      },
    },
  ];
};

/** Clearing a skill without a target is a no-op. */
const clear = (
  command: TargetCommandOf<'ClearSkillTarget'>,
  state: TargetsState,
  { metadata }: TargetsContext,
): EventDraft[] => {
  const active = state.active[targetKey(command.rubric, command.skill)];
  if (!active) return [];
  return [
    {
      type: 'SkillTargetCleared',
      data: {
        targetId: active.targetId,
        userId: command.userId,
        rubric: command.rubric,
        skill: command.skill,
        clearedBy: command.clearedBy,
        clearedAt: metadata.now,
      },
    },
  ];
};

/** The targets decider: one pure function per command. */
export const decideTargets = (
  command: TargetCommand,
  state: TargetsState,
  context: TargetsContext,
): EventDraft[] => {
  switch (command.type) {
    case 'SetSkillTarget':
      return set(command, state, context);
    case 'ClearSkillTarget':
      return clear(command, state, context);
    default: {
      const exhaustive: never = command;
      throw new AppError('VALIDATION', `unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
};
