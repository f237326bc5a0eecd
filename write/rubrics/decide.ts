import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { RubricCommandOf } from '../../schemas/rubric-commands.ts';
import { type Rubric, rubricRefText, sameRubric } from '../../schemas/rubrics.ts';
import type { EventDraft } from '../event-draft.ts';
import { latestRubric, type RubricState, type TeamRubricState } from './state.ts';

export type RubricContext = { metadata: CommandMetadata };

const sameContent = (a: Pick<Rubric, 'name' | 'skills'>, b: Pick<Rubric, 'name' | 'skills'>) =>
  JSON.stringify([a.name, a.skills]) === JSON.stringify([b.name, b.skills]);

/**
 * Publishing what the latest version already says is a no-op; anything else is the next
 * version. Versions only grow: an old version is never changed, so old scores keep their meaning.
 */
export const decidePublishRubric = (
  command: RubricCommandOf<'PublishRubric'>,
  state: RubricState,
  { metadata }: RubricContext,
): EventDraft[] => {
  const latest = latestRubric(state);
  if (latest && sameContent(latest, command.rubric)) return [];
  return [
    {
      type: 'RubricPublished',
      data: {
        id: command.rubric.id,
        version: (latest?.version ?? 0) + 1,
        name: command.rubric.name,
        skills: command.rubric.skills,
        publishedAt: metadata.now,
      },
    },
  ];
};

/** Choosing a rubric version that does not exist is NOT_FOUND; choosing the current one again is a no-op. */
export const decideChooseTeamRubric = (
  command: RubricCommandOf<'ChooseTeamRubric'>,
  state: TeamRubricState,
  rubric: RubricState,
  { metadata }: RubricContext,
): EventDraft[] => {
  if (!rubric.versions.some((v) => sameRubric(v, command.rubric))) {
    throw new AppError('NOT_FOUND', `rubric ${rubricRefText(command.rubric)} has not been published`);
  }
  if (state.current && sameRubric(state.current, command.rubric)) return [];
  return [
    {
      type: 'TeamRubricChosen',
      data: { teamId: command.teamId, rubric: { ...command.rubric }, chosenAt: metadata.now },
    },
  ];
};
