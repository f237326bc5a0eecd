import type { CommandMetadata } from '../../schemas/commands.ts';
import type { RubricCommand } from '../../schemas/rubric-commands.ts';
import { DEFAULT_TEAM } from '../../schemas/rubrics.ts';
import { foldStream, type HandleResult, type HandlerOptions, handleCommand } from '../command-handler.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { decideChooseTeamRubric, decidePublishRubric } from './decide.ts';
import {
  evolveRubric,
  evolveTeamRubric,
  initialRubricState,
  initialTeamRubricState,
  type RubricState,
  type TeamRubricState,
} from './state.ts';

/** One stream per rubric id: its versions. */
export const rubricStreamId = (rubricId: string): string => `rubric-${rubricId}`;

/** One stream per team's choice; `*` (everyone without a team choice) is `rubric-choice-default`. */
export const teamRubricStreamId = (teamId: string): string =>
  `rubric-choice-${teamId === DEFAULT_TEAM ? 'default' : teamId}`;

export const loadRubricState = async (
  store: EventStore,
  codec: EventCodec,
  rubricId: string,
): Promise<RubricState> =>
  (await foldStream(store, codec, rubricStreamId(rubricId), evolveRubric, initialRubricState(rubricId)))
    .state;

export const loadTeamRubricState = async (
  store: EventStore,
  codec: EventCodec,
  teamId: string,
): Promise<TeamRubricState> =>
  (
    await foldStream(
      store,
      codec,
      teamRubricStreamId(teamId),
      evolveTeamRubric,
      initialTeamRubricState(teamId),
    )
  ).state;

/** Runs a rubric command against its stream (a rubric's, or a team choice's). */
export const handleRubricCommand = async (
  store: EventStore,
  codec: EventCodec,
  command: RubricCommand,
  metadata: CommandMetadata,
  options?: HandlerOptions,
): Promise<HandleResult<RubricState | TeamRubricState>> => {
  switch (command.type) {
    case 'PublishRubric': {
      const id = command.rubric.id;
      return handleCommand<RubricState>(
        store,
        codec,
        rubricStreamId(id),
        { initialState: () => initialRubricState(id), evolve: evolveRubric },
        (state) => decidePublishRubric(command, state, { metadata }),
        metadata,
        options,
      );
    }
    case 'ChooseTeamRubric': {
      // Versions are never taken back: a version seen to exist here still exists at the append.
      const rubric = await loadRubricState(store, codec, command.rubric.id);
      return handleCommand<TeamRubricState>(
        store,
        codec,
        teamRubricStreamId(command.teamId),
        { initialState: () => initialTeamRubricState(command.teamId), evolve: evolveTeamRubric },
        (state) => decideChooseTeamRubric(command, state, rubric, { metadata }),
        metadata,
        options,
      );
    }
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
};
