import { describe, expect, it } from 'vitest';
import { upcast } from './events/registry.ts';
import {
  bantRubric,
  builtInRubrics,
  checkScores,
  coreRubric,
  DEFAULT_TEAM,
  meddiccRubric,
  Rubric,
  RubricDefinition,
  rubricTeamsOf,
  spinRubric,
} from './rubrics.ts';
import { skillKeys, skillLabels } from './skills.ts';

const skill = (key: string) => ({
  key,
  label: { ja: key, en: key },
  description: { ja: `${key}の説明`, en: `about ${key}` },
});

describe('rubrics as data', () => {
  it('ships core v1 (the five skills, labels kept), MEDDICC, SPIN and BANT, each valid', () => {
    for (const rubric of builtInRubrics) expect(Rubric.parse(rubric)).toEqual(rubric);
    expect(coreRubric).toMatchObject({ id: 'core', version: 1 });
    expect(coreRubric.skills.map((s) => s.key)).toEqual([...skillKeys]);
    for (const s of coreRubric.skills)
      expect(s.label).toEqual(skillLabels[s.key as (typeof skillKeys)[number]]);
    expect(meddiccRubric.skills.map((s) => s.key)).toEqual([
      'metrics',
      'economic_buyer',
      'decision_criteria',
      'decision_process',
      'paper_process',
      'identify_pain',
      'champion',
      'competition',
    ]);
    expect(spinRubric.skills.map((s) => s.key)).toEqual([
      'situation',
      'problem',
      'implication',
      'need_payoff',
    ]);
    expect(bantRubric.skills.map((s) => s.key)).toEqual(['budget', 'authority', 'need', 'timeline']);
    for (const rubric of builtInRubrics)
      for (const s of rubric.skills) {
        expect(s.description.ja.length).toBeGreaterThan(0);
        expect(s.description.en.length).toBeGreaterThan(0);
      }
  });

  it('refuses a rubric file with bad ids, bad or duplicate skill keys, missing translations', () => {
    const ok = { id: 'team_one', name: { ja: 'チーム', en: 'Team' }, skills: [skill('a'), skill('b_2')] };
    expect(RubricDefinition.safeParse(ok).success).toBe(true);
    expect(RubricDefinition.safeParse({ ...ok, id: 'Team' }).success).toBe(false);
    expect(RubricDefinition.safeParse({ ...ok, skills: [skill('A')] }).success).toBe(false);
    expect(RubricDefinition.safeParse({ ...ok, skills: [skill('1a')] }).success).toBe(false);
    expect(RubricDefinition.safeParse({ ...ok, skills: [skill('a'), skill('a')] }).success).toBe(false);
    expect(RubricDefinition.safeParse({ ...ok, skills: [] }).success).toBe(false);
    expect(RubricDefinition.safeParse({ ...ok, name: { ja: 'チーム' } }).success).toBe(false);
  });

  it('checks scores against the rubric: exactly its keys, integers 1..5', () => {
    const scores = { situation: 1, problem: 2, implication: 5, need_payoff: 3 };
    expect(checkScores(spinRubric, scores)).toBeNull();
    expect(checkScores(spinRubric, { situation: 1, problem: 2, implication: 5 })).toMatch(
      /missing scores for need_payoff/,
    );
    expect(checkScores(spinRubric, { ...scores, budget: 3 })).toMatch(/not in the rubric: budget/);
    expect(checkScores(spinRubric, { ...scores, problem: 6 })).toMatch(/integers 1\.\.5 \(problem\)/);
    expect(checkScores(spinRubric, { ...scores, problem: 2.5 })).toMatch(/problem/);
  });

  it("finds the teams whose choice applies to a rep: their managers' (as listed), their own, then the default", () => {
    const config = {
      managerUserIds: ['UM1', 'UM2'],
      teams: { UM1: ['UR1'], UM2: ['UR1', 'UM1'], UX: ['UR1'] },
    };
    expect(rubricTeamsOf('UR1', config)).toEqual(['UM1', 'UM2', DEFAULT_TEAM]);
    expect(rubricTeamsOf('UM1', config)).toEqual(['UM2', 'UM1', DEFAULT_TEAM]);
    expect(rubricTeamsOf('UNOBODY', config)).toEqual([DEFAULT_TEAM]);
  });
});

describe('InsightDerived v2', () => {
  const v1 = {
    insightId: '1b3f2f7e-1d2c-5a4b-8c9d-0e1f2a3b4c5d',
    sessionId: '2b3f2f7e-1d2c-5a4b-8c9d-0e1f2a3b4c5d',
    userId: 'U2CERLKJA',
    basedOnMessageId: '1712000000.000100',
    scores: { hearing: 3, proposal: 4, objection_handling: 2, closing: 1, relationship: 5 },
    strengths: ['a'],
    improvements: ['b'],
    nextActions: ['c'],
    summary: 's',
    model: 'mock-coach-1',
    derivedAt: '2025-04-01T09:00:00.000Z',
  };

  it('reads v1 as core v1, the provider from the model name where it shows, no prompt hash', () => {
    const data = upcast('InsightDerived', 1, v1);
    expect(data).toEqual({
      ...v1,
      rubric: { id: 'core', version: 1 },
      provider: 'mock',
      promptHash: null,
      origin: 'live',
    });
    expect(upcast('InsightDerived', 1, { ...v1, model: 'gpt-4o' }).provider).toBe('openai');
    expect(upcast('InsightDerived', 1, { ...v1, model: 'claude-sonnet-4-5' }).provider).toBe('anthropic');
    expect(upcast('InsightDerived', 1, { ...v1, model: 'my-local-model' }).provider).toBeNull();
  });

  it('validates the scores of a built-in rubric against it', () => {
    const v2 = { ...upcast('InsightDerived', 1, v1), promptHash: 'a'.repeat(64) };
    expect(upcast('InsightDerived', 2, v2)).toEqual(v2);
    expect(() => upcast('InsightDerived', 2, { ...v2, scores: { ...v2.scores, metrics: 3 } })).toThrow(
      /not in the rubric/,
    );
    expect(() => upcast('InsightDerived', 2, { ...v2, rubric: { id: 'bant', version: 1 } })).toThrow(
      /missing scores/,
    );
    expect(() => upcast('InsightDerived', 2, { ...v2, promptHash: 'xyz' })).toThrow();
    // A published rubric is checked by the writer that knows it.
    expect(upcast('InsightDerived', 2, { ...v2, rubric: { id: 'team_one', version: 3 } }).rubric.id).toBe(
      'team_one',
    );
  });
});
