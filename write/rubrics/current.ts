import { AppError } from '../../schemas/errors.ts';
import {
  builtInRubric,
  defaultRubricRef,
  type Rubric,
  type RubricRef,
  rubricRefText,
  rubricTeamsOf,
} from '../../schemas/rubrics.ts';
import type { AuthorizationConfig } from '../authorization/policy.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { loadRubricState, loadTeamRubricState } from './handle.ts';

export type RubricCatalog = {
  /** A rubric version, built-in or published; NOT_FOUND when it does not exist. */
  rubric(ref: RubricRef): Promise<Rubric>;
  /** The rubric a rep is scored with now: their team's choice, else the default choice, else core v1. */
  currentFor(userId: string): Promise<Rubric>;
};

/** The catalogue read from the event store itself (rubric and choice streams are a handful of events). */
export const createRubricCatalog = (deps: {
  store: EventStore;
  codec: EventCodec;
  authorization: AuthorizationConfig;
}): RubricCatalog => {
  const rubric = async (ref: RubricRef): Promise<Rubric> => {
    // A built-in version never changes (a stream can only add later versions): no read for it.
    const builtIn = builtInRubric(ref);
    if (builtIn) return builtIn;
    const state = await loadRubricState(deps.store, deps.codec, ref.id);
    const found = state.versions.find((v) => v.version === ref.version);
    if (!found) throw new AppError('NOT_FOUND', `rubric ${rubricRefText(ref)} has not been published`);
    return found;
  };
  return {
    rubric,
    currentFor: async (userId) => {
      for (const team of rubricTeamsOf(userId, deps.authorization)) {
        const choice = await loadTeamRubricState(deps.store, deps.codec, team);
        if (choice.current) return rubric(choice.current);
      }
      return rubric(defaultRubricRef);
    },
  };
};
