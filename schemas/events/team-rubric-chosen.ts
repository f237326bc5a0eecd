import { z } from 'zod';
import { RubricRef, TeamKey } from '../rubrics.ts';
import { defineEvent } from './envelope.ts';

/**
 * The rubric a team's reps are scored with from now on. `teamId` is the manager's Slack user id
 * (as in TEAMS), or `*` for every rep without a team choice of their own.
 */
export const TeamRubricChosenData = z.object({
  teamId: TeamKey,
  rubric: RubricRef,
  chosenAt: z.iso.datetime({ offset: true }),
});
export type TeamRubricChosenData = z.infer<typeof TeamRubricChosenData>;

export const TeamRubricChosen = defineEvent({
  type: 'TeamRubricChosen',
  version: 1,
  schema: TeamRubricChosenData,
  previous: {},
  personalFields: [],
  subjectOf: () => undefined,
});
