import type { SalesEvent } from '../../schemas/events/index.ts';
import { builtInRubrics, type Rubric, type RubricRef } from '../../schemas/rubrics.ts';

/** One rubric id's versions, oldest first (a built-in rubric starts with its version 1). */
export type RubricState = { readonly id: string; readonly versions: readonly Rubric[] };

export const initialRubricState = (id: string): RubricState => ({
  id,
  versions: builtInRubrics.filter((r) => r.id === id),
});

export const evolveRubric = (state: RubricState, event: SalesEvent): RubricState => {
  if (event.type !== 'RubricPublished' || event.data.id !== state.id) return state;
  const { id, version, name, skills } = event.data;
  if (state.versions.some((v) => v.version === version)) return state;
  return { ...state, versions: [...state.versions, { id, version, name, skills }] };
};

export const latestRubric = (state: RubricState): Rubric | undefined => state.versions.at(-1);

/** A team's rubric choice: null until one is made. */
export type TeamRubricState = { readonly teamId: string; readonly current: RubricRef | null };

export const initialTeamRubricState = (teamId: string): TeamRubricState => ({ teamId, current: null });

export const evolveTeamRubric = (state: TeamRubricState, event: SalesEvent): TeamRubricState =>
  event.type === 'TeamRubricChosen' && event.data.teamId === state.teamId
    ? { ...state, current: { ...event.data.rubric } }
    : state;
