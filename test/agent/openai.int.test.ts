import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgCheckpointStore } from '../../ops/runtime/agent/checkpoints.ts';
import type { EventOf, SalesEvent } from '../../schemas/events/index.ts';
import { apologies } from '../../write/agent/canned-replies.ts';
import { createOpenAiLlm } from '../../write/agent/llm/openai.ts';
import { START } from '../../write/event-store/port.ts';
import { type LlmStub, startOpenAiStub, stubBehaviours } from '../stubs/openai-stub.ts';
import { countingMetrics, dm, type Harness, recordingPresenter, startHarness, until } from './harness.ts';

const replies = (events: SalesEvent[]) =>
  events.filter(
    (e): e is EventOf<'MessageReceived'> => e.type === 'MessageReceived' && e.data.role === 'assistant',
  );
const insights = (events: SalesEvent[]) =>
  events.filter((e): e is EventOf<'InsightDerived'> => e.type === 'InsightDerived');

const validInsight = {
  scores: { hearing: 2, proposal: 3, objection_handling: 3, closing: 1, relationship: 4 },
  strengths: ['反論を率直に共有している'],
  improvements: ['価格の比較対象を聞いていない'],
  nextActions: ['「何と比べて高いか」を聞く'],
  summary: '相談の仕方は的確です。次は比較対象の確認を。',
};

describe('the agent reactor with the OpenAI SDK against a local stub', () => {
  let h: Harness;
  let stub: LlmStub;
  const llm = (timeoutMs = 5_000) =>
    createOpenAiLlm({
      apiKey: 'sk-test',
      baseURL: `${stub.url}/v1`,
      model: 'gpt-4o',
      temperature: 0.7,
      maxTokens: 800,
      timeoutMs,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });

  beforeAll(async () => {
    h = await startHarness();
    stub = await startOpenAiStub();
  });
  afterEach(() => stub.reset());
  afterAll(async () => {
    await stub.close();
    await h.close();
  });

  it('sends the coaching prompt with the knowledge, records the cited reply and the validated insight', async () => {
    const conversation = dm();
    stub.script(
      stubBehaviours.answer(
        'まず受け止めましょう [1]。次に比較対象を聞きます [2]。\n❓ 何と比べて高いと言われましたか？',
      ),
      stubBehaviours.json(validInsight),
    );
    const reactor = h.reactor({ llm: llm() });
    await h.say(conversation, 'm1', '価格が高いと言われました');
    const events = await h.waitFor(conversation.id, (all) => insights(all).length === 1);
    await reactor.stop();

    const [reply] = replies(events);
    expect(reply!.data.citations.map((c) => c.documentId)).toHaveLength(2);
    expect(reply!.data.citations[0]!.documentId).toBe('objection-price');
    const [insight] = insights(events);
    expect(insight!.data).toMatchObject({ ...validInsight, basedOnMessageId: 'm1', model: 'gpt-4o' });

    const [coaching, judging] = stub.requests;
    const messages = coaching!.body.messages as { role: string; content: string }[];
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toContain('[1] 価格反論「高い」への対応');
    expect(messages.at(-1)).toEqual({ role: 'user', content: '価格が高いと言われました' });
    expect(judging!.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'insight', strict: true },
    });
  });

  it('replies with an apology when the API keeps failing, once, and counts the failure', async () => {
    const conversation = dm();
    stub.script(
      stubBehaviours.serverError(500),
      stubBehaviours.serverError(503),
      stubBehaviours.serverError(500),
    );
    const { metrics, llmFailures } = countingMetrics();
    const reactor = h.reactor({ name: 'failing', llm: llm(), metrics });
    await h.say(conversation, 'm1', '値引きを求められています');
    const events = await h.waitFor(conversation.id, (all) => replies(all).length === 1);
    // stop() lets running work finish: any further request would have been made by now.
    await reactor.stop();
    expect(replies(events)[0]!.data).toMatchObject({ text: apologies.ja, citations: [], replyTo: 'm1' });
    expect(stub.requests).toHaveLength(3);
    expect(llmFailures).toEqual(['openai:server']);
    expect(insights(await h.events(conversation.id))).toEqual([]);

    // Restarted from the start, the reactor finds the reply there: no new request, no new event.
    await createPgCheckpointStore(h.db.pool).save('failing-replay', START);
    const replay = h.reactor({ name: 'failing-replay', llm: llm() });
    await h.caughtUp('failing-replay', conversation.id);
    await replay.stop();
    expect(await h.events(conversation.id)).toHaveLength(events.length);
    expect(stub.requests).toHaveLength(3);
  });

  it('replies with an apology in English when the API times out', async () => {
    const conversation = dm();
    stub.script(stubBehaviours.hang(), stubBehaviours.hang(), stubBehaviours.hang());
    const { metrics, llmFailures } = countingMetrics();
    const reactor = h.reactor({ name: 'timeouts', llm: llm(400), metrics });
    await h.say(conversation, 'm1', 'The buyer went silent after our proposal. What now?');
    const events = await h.waitFor(conversation.id, (all) => replies(all).length === 1);
    await reactor.stop();
    expect(replies(events)[0]!.data.text).toBe(apologies.en);
    expect(llmFailures).toEqual(['openai:timeout']);
  });

  it('streams to the presenter, and turns a stream cut off midway into the recorded apology', async () => {
    const conversation = dm();
    stub.script(
      { kind: 'answer', chunks: ['まず', '受け止め', 'ましょう [1]'] },
      stubBehaviours.json(validInsight),
    );
    const { presenter, shown } = recordingPresenter();
    const reactor = h.reactor({ name: 'streaming', llm: llm(), presenter });
    await h.say(conversation, 'm1', '価格が高いと言われました');
    await h.waitFor(conversation.id, (all) => insights(all).length === 1);
    expect(shown[0]!.deltas).toEqual(['まず', '受け止め', 'ましょう [1]']);
    expect(shown[0]!.final).toBe('まず受け止めましょう [1]');

    stub.script(stubBehaviours.truncate('reset', 2));
    await h.say(conversation, 'm2', '他社の方が安いと言われました');
    const events = await h.waitFor(conversation.id, (all) => replies(all).length === 2);
    await reactor.stop();
    expect(replies(events)[1]!.data.text).toBe(apologies.ja);
    expect(shown[1]!.deltas.length).toBeGreaterThan(0);
    expect(shown[1]!.failed).toBe(apologies.ja);
    expect(shown[1]!.final).toBeUndefined();
  });

  it('asks once more for an invalid insight, then records none', async () => {
    const conversation = dm();
    stub.script(
      stubBehaviours.answer('受け止めてから比較対象を聞きましょう [1]'),
      stubBehaviours.json({ ...validInsight, scores: { hearing: 7 } }),
      stubBehaviours.json({ summary: 'no scores' }),
    );
    const { metrics, llmFailures } = countingMetrics();
    const reactor = h.reactor({ name: 'invalid', llm: llm(), metrics });
    await h.say(conversation, 'm1', '価格が高いと言われました');
    await h.waitFor(conversation.id, (all) => replies(all).length === 1);
    await until(() => llmFailures.length > 0);
    await reactor.stop();
    expect(stub.requests).toHaveLength(3);
    expect(insights(await h.events(conversation.id))).toEqual([]);
    expect(llmFailures).toEqual(['openai:invalid_output']);
  });
});
