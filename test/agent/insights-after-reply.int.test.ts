import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockLlm } from '../../write/agent/llm/mock.ts';
import type { ChatRequest, LlmPort } from '../../write/agent/llm/port.ts';
import { dm, type Harness, startHarness } from './harness.ts';

/** The mock coach, except that insights wait until the test lets them through. */
const slowInsights = () => {
  const mock = createMockLlm();
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const isInsight = (r: ChatRequest) => r.hints?.task === 'insight';
  let waiting = 0;
  const llm: LlmPort = {
    provider: mock.provider,
    model: mock.model,
    complete: async (request) => {
      if (isInsight(request)) {
        waiting++;
        await released;
      }
      return mock.complete(request);
    },
    stream: (request) => mock.stream(request),
  };
  return { llm, release, waiting: () => waiting };
};

describe('insights after the reply', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("answers a conversation's next message while the insight on the previous one is still being derived", async () => {
    const model = slowInsights();
    const reactor = h.reactor({ name: 'insights-after', llm: model.llm, insightConcurrency: 2 });
    try {
      const conversation = dm();
      await h.say(conversation, 'm1', '価格が高いと言われました');
      await h.waitFor(conversation.id, (all) =>
        all.some((e) => e.type === 'MessageReceived' && e.data.replyTo === 'm1'),
      );
      await h.say(conversation, 'm2', '決裁者に会うにはどうすればいいですか？');
      const events = await h.waitFor(conversation.id, (all) =>
        all.some((e) => e.type === 'MessageReceived' && e.data.replyTo === 'm2'),
      );
      // Both replies are there, and no insight yet: the first one is still held by the model.
      expect(events.filter((e) => e.type === 'InsightDerived')).toEqual([]);
      expect(model.waiting()).toBeGreaterThanOrEqual(1);

      model.release();
      const after = await h.waitFor(
        conversation.id,
        (all) => all.filter((e) => e.type === 'InsightDerived').length === 2,
      );
      expect(
        after.flatMap((e) => (e.type === 'InsightDerived' ? [e.data.basedOnMessageId] : [])).sort(),
      ).toEqual(['m1', 'm2']);
    } finally {
      model.release();
      await reactor.stop();
    }
  });
});
