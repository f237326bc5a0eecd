import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import { DEFAULT_TEAM, type RubricDefinition } from '../../schemas/rubrics.ts';
import { stampEvents } from '../command-handler.ts';
import { decideChooseTeamRubric, decidePublishRubric } from './decide.ts';
import { evolveRubric, evolveTeamRubric, initialRubricState, initialTeamRubricState } from './state.ts';

const metadata: CommandMetadata = {
  idempotencyKey: 'k',
  correlationId: 'c',
  causationId: null,
  now: '2026-02-01T00:00:00.000Z',
  actor: { kind: 'ops', id: 'test' },
};

const definition: RubricDefinition = {
  id: 'team_one',
  name: { ja: 'チーム', en: 'Team' },
  skills: [
    { key: 'listen', label: { ja: '傾聴', en: 'Listening' }, description: { ja: '聴く', en: 'Listens' } },
  ],
};

const given = <S>(state: S, evolve: (s: S, e: never) => S, drafts: Parameters<typeof stampEvents>[0]) =>
  stampEvents(drafts, metadata).reduce((s, e) => evolve(s, e as never), state);

describe('rubric decider', () => {
  it('publishes version 1, then the next version only when the content changes', () => {
    let state = initialRubricState('team_one');
    const first = decidePublishRubric({ type: 'PublishRubric', rubric: definition }, state, { metadata });
    expect(first).toEqual([
      {
        type: 'RubricPublished',
        data: {
          id: 'team_one',
          version: 1,
          name: definition.name,
          skills: definition.skills,
          publishedAt: metadata.now,
        },
      },
    ]);
    state = given(state, evolveRubric, first);
    expect(decidePublishRubric({ type: 'PublishRubric', rubric: definition }, state, { metadata })).toEqual(
      [],
    );
    const changed = { ...definition, name: { ja: 'チーム2', en: 'Team 2' } };
    const second = decidePublishRubric({ type: 'PublishRubric', rubric: changed }, state, { metadata });
    expect(second[0]).toMatchObject({ data: { version: 2 } });
  });

  it('continues a built-in rubric after its version 1', () => {
    const state = initialRubricState('spin');
    expect(state.versions.map((v) => v.version)).toEqual([1]);
    const drafts = decidePublishRubric(
      { type: 'PublishRubric', rubric: { ...definition, id: 'spin' } },
      state,
      { metadata },
    );
    expect(drafts[0]).toMatchObject({ data: { id: 'spin', version: 2 } });
  });

  it('chooses an existing rubric version for a team once; an unknown version is NOT_FOUND', () => {
    const rubric = initialRubricState('bant');
    const command = {
      type: 'ChooseTeamRubric',
      teamId: DEFAULT_TEAM,
      rubric: { id: 'bant', version: 1 },
    } as const;
    let state = initialTeamRubricState(DEFAULT_TEAM);
    const chosen = decideChooseTeamRubric(command, state, rubric, { metadata });
    expect(chosen).toEqual([
      {
        type: 'TeamRubricChosen',
        data: { teamId: DEFAULT_TEAM, rubric: { id: 'bant', version: 1 }, chosenAt: metadata.now },
      },
    ]);
    state = given(state, evolveTeamRubric, chosen);
    expect(decideChooseTeamRubric(command, state, rubric, { metadata })).toEqual([]);
    expect(() =>
      decideChooseTeamRubric({ ...command, rubric: { id: 'bant', version: 2 } }, state, rubric, { metadata }),
    ).toThrow(AppError);
  });
});
