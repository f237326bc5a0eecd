import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bantRubric } from '../../schemas/rubrics.ts';
import { createMockLlm } from '../../write/agent/llm/mock.ts';
import type { ChatRequest, LlmPort } from '../../write/agent/llm/port.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { createRubricCatalog } from '../../write/rubrics/current.ts';
import { handleRubricCommand } from '../../write/rubrics/handle.ts';
import { dm, type Harness, startHarness } from './harness.ts';

/** The mock coach, keeping the insight requests it was sent. */
const recording = () => {
  const mock = createMockLlm();
  const insights: ChatRequest[] = [];
  const llm: LlmPort = {
    provider: mock.provider,
    model: mock.model,
    complete: async (request) => {
      if (request.hints?.task === 'insight') insights.push(request);
      return mock.complete(request);
    },
    stream: (request) => mock.stream(request),
  };
  return { llm, insights };
};

describe("the agent scores with the rep's team's rubric", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('asks for and records the team rubric’s skills, with provider, model and prompt hash', async () => {
    // The harness's rep (U111) is in UMGR1's team, which has chosen BANT.
    const authorization = { managerUserIds: ['UMGR1'], teams: { UMGR1: ['U111'] } };
    await handleRubricCommand(
      h.store,
      plainCodec,
      { type: 'ChooseTeamRubric', teamId: 'UMGR1', rubric: { id: 'bant', version: 1 } },
      {
        idempotencyKey: 'choose-bant',
        correlationId: 'c',
        causationId: null,
        now: '2026-02-01T00:00:00.000Z',
        actor: { kind: 'ops', id: 'test' },
      },
    );
    const model = recording();
    const reactor = h.reactor({
      name: 'team-rubric',
      llm: model.llm,
      rubrics: createRubricCatalog({ store: h.store, codec: plainCodec, authorization }),
    });
    try {
      const conversation = dm();
      await h.say(conversation, 'm1', '予算はいくらで、どなたが決裁されますか？導入は来月の予定です。');
      const events = await h.waitFor(conversation.id, (all) => all.some((e) => e.type === 'InsightDerived'));
      const insight = events.find((e) => e.type === 'InsightDerived');
      if (insight?.type !== 'InsightDerived') throw new Error('no insight');
      expect(insight.data.rubric).toEqual({ id: 'bant', version: 1 });
      expect(Object.keys(insight.data.scores).sort()).toEqual(bantRubric.skills.map((s) => s.key).sort());
      expect(insight.data).toMatchObject({ provider: 'mock', model: 'mock-coach-1', origin: 'live' });
      expect(insight.data.promptHash).toMatch(/^[a-f0-9]{64}$/);
      // The prompt named the rubric's skills; the output schema asked for exactly them.
      const request = model.insights[0]!;
      expect(request.system).toContain('budget（予算 / Budget）');
      expect(request.system).not.toContain('objection_handling');
      const scores = (request.json!.schema as { properties: { scores: { required: string[] } } }).properties
        .scores;
      expect(scores.required).toEqual(['budget', 'authority', 'need', 'timeline']);
    } finally {
      await reactor.stop();
    }
  });
});
