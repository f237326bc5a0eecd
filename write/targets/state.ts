import type { SalesEvent } from '../../schemas/events/index.ts';
import type { TargetRubric } from '../../schemas/targets.ts';

export type ActiveTarget = {
  readonly targetId: string;
  readonly rubric: TargetRubric;
  readonly skill: string;
  readonly level: number;
  readonly dueDate: string;
};

/** A rep's active targets, by rubric id, version and skill key. */
export type TargetsState = { readonly active: Readonly<Record<string, ActiveTarget>> };

export const targetKey = (rubric: TargetRubric, skill: string) => `${rubric.id}@${rubric.version}:${skill}`;

export const initialTargetsState = (): TargetsState => ({ active: {} });

export const evolveTargets = (state: TargetsState, event: SalesEvent): TargetsState => {
  switch (event.type) {
    case 'SkillTargetSet': {
      const { targetId, rubric, skill, level, dueDate } = event.data;
      return {
        active: { ...state.active, [targetKey(rubric, skill)]: { targetId, rubric, skill, level, dueDate } },
      };
    }
    case 'SkillTargetCleared': {
      const key = targetKey(event.data.rubric, event.data.skill);
      if (state.active[key]?.targetId !== event.data.targetId) return state;
      const { [key]: _cleared, ...rest } = state.active;
      return { active: rest };
    }
    default:
      return state;
  }
};
