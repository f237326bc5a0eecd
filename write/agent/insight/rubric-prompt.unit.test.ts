import { describe, expect, it } from 'vitest';
import { bantRubric, coreRubric, meddiccRubric, type Rubric, spinRubric } from '../../../schemas/rubrics.ts';
import { createMockLlm } from '../llm/mock.ts';
import { buildInsightRequest } from '../prompt/build.ts';
import { promptHash } from './prompt-hash.ts';
import { insightOutputSchema } from './schema.ts';

const transcript = [
  {
    role: 'user' as const,
    content:
      '予算はいくらで、決裁者はどなたですか？導入時期は来月を目指しています。課題は入力ミスで、影響は月に20時間です。競合との比較も伺いました。',
  },
  { role: 'assistant' as const, content: 'よい進め方です。' },
];

const request = (rubric: Rubric) =>
  buildInsightRequest({ transcript, task: 'insight', language: 'ja', persona: null, rubric });

describe('the insight prompt and output schema are built from the rubric', () => {
  it('lists every skill with its labels and descriptions, and asks for exactly its keys', () => {
    const r = request(meddiccRubric);
    for (const s of meddiccRubric.skills) {
      expect(r.system).toContain(
        `- ${s.key}（${s.label.ja} / ${s.label.en}）: ${s.description.ja} / ${s.description.en}`,
      );
    }
    expect(r.system).not.toContain('objection_handling');
    const scores = (
      r.json!.schema as {
        properties: { scores: { properties: object; required: string[]; additionalProperties: boolean } };
      }
    ).properties.scores;
    expect(Object.keys(scores.properties)).toEqual(meddiccRubric.skills.map((s) => s.key));
    expect(scores.required).toEqual(meddiccRubric.skills.map((s) => s.key));
    expect(scores.additionalProperties).toBe(false);
  });

  it('hashes exactly what is sent: the same request the same hash, any change another', () => {
    const model = { provider: 'openai', model: 'gpt-4o-mini' };
    const a = promptHash(request(spinRubric), model);
    expect(a).toMatch(/^[a-f0-9]{64}$/);
    expect(promptHash(request(spinRubric), model)).toBe(a);
    // What only the mock reads (hints) is not part of it.
    expect(promptHash({ ...request(spinRubric), hints: undefined }, model)).toBe(a);
    expect(promptHash(request(bantRubric), model)).not.toBe(a);
    expect(promptHash(request(spinRubric), { ...model, model: 'gpt-4o' })).not.toBe(a);
    expect(promptHash({ ...request(spinRubric), temperature: 0.7 }, model)).not.toBe(a);
  });

  it('gets deterministic, schema-valid, useful scores from the mock for any rubric', async () => {
    const llm = createMockLlm();
    const custom: Rubric = {
      id: 'team_one',
      version: 3,
      name: { ja: 'チーム', en: 'Team' },
      skills: [
        {
          key: 'budget_talk',
          label: { ja: '予算', en: 'Budget talk' },
          description: { ja: '予算を聞く', en: 'Asks about the budget' },
        },
        {
          key: 'weather',
          label: { ja: '天気', en: 'Weather' },
          description: { ja: '天気の話', en: 'Talks about sunshine' },
        },
      ],
    };
    for (const rubric of [coreRubric, meddiccRubric, spinRubric, bantRubric, custom]) {
      const first = await llm.complete(request(rubric));
      const again = await llm.complete(request(rubric));
      expect(again.text).toBe(first.text);
      const parsed = insightOutputSchema(rubric).parse(JSON.parse(first.text));
      expect(Object.keys(parsed.scores)).toEqual(rubric.skills.map((s) => s.key));
    }
    const bant = insightOutputSchema(bantRubric).parse(
      JSON.parse((await llm.complete(request(bantRubric))).text),
    );
    // Budget, authority and timeline are all asked about in the transcript.
    expect(bant.scores.budget).toBeGreaterThanOrEqual(3);
    expect(bant.scores.timeline).toBeGreaterThanOrEqual(3);
    const own = insightOutputSchema(custom).parse(JSON.parse((await llm.complete(request(custom))).text));
    expect(own.scores.budget_talk).toBeGreaterThan(own.scores.weather!);
    // Nothing said, lowest scores.
    const silent = await llm.complete(
      buildInsightRequest({
        transcript: [],
        task: 'insight',
        language: 'en',
        persona: null,
        rubric: spinRubric,
      }),
    );
    expect(Object.values(JSON.parse(silent.text).scores)).toEqual([1, 1, 1, 1]);
  });
});
