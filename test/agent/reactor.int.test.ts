import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgCheckpointStore } from '../../ops/runtime/agent/checkpoints.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import type { ReplyPresenter } from '../../write/agent/ports.ts';
import { comparePositions, START } from '../../write/event-store/port.ts';
import { countingLlm, dm, type Harness, recordingPresenter, startHarness } from './harness.ts';

const repliesTo = (events: SalesEvent[], messageId: string) =>
  events.filter(
    (e) => e.type === 'MessageReceived' && e.data.role === 'assistant' && e.data.replyTo === messageId,
  );
const insightsOn = (events: SalesEvent[], messageId: string | null) =>
  events.filter((e) => e.type === 'InsightDerived' && e.data.basedOnMessageId === messageId);

describe('the agent reactor (Postgres event store, mock LLM)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers a message with exactly one cited reply and derives one insight', async () => {
    const conversation = dm();
    const { presenter, shown } = recordingPresenter();
    const reactor = h.reactor({ presenter });
    await h.say(conversation, 'm1', '価格が高いと言われました。どう返せばいいですか？');
    const events = await h.waitFor(conversation.id, (all) => insightsOn(all, 'm1').length === 1);
    await reactor.stop();

    const [reply] = repliesTo(events, 'm1');
    expect(reply?.type === 'MessageReceived' && reply.data).toMatchObject({
      role: 'assistant',
      messageId: 'reply:m1',
      format: 'markdown',
    });
    if (reply?.type !== 'MessageReceived') throw new Error('no reply');
    expect(reply.data.text).toContain('[1]');
    expect(reply.data.citations[0]).toMatchObject({ documentId: 'objection-price', version: 1 });
    expect(reply.metadata.actor).toEqual({ kind: 'assistant', id: 'agent' });

    const [insight] = insightsOn(events, 'm1');
    expect(insight?.type === 'InsightDerived' && insight.data).toMatchObject({
      userId: 'U111',
      model: 'mock-coach-1',
    });

    // The presenter saw the reply streamed, then finished with the same text and citations.
    expect(shown).toHaveLength(1);
    expect(shown[0]!.context).toMatchObject({ replyTo: 'm1', kind: 'coaching', language: 'ja' });
    expect(shown[0]!.deltas.length).toBeGreaterThan(1);
    expect(shown[0]!.deltas.join('')).toBe(reply.data.text);
    expect(shown[0]!.final).toBe(reply.data.text);
    expect(shown[0]!.citations).toEqual(reply.data.citations);
  });

  it('replies in English to English, grounded on the knowledge base', async () => {
    const conversation = dm();
    const reactor = h.reactor();
    await h.say(conversation, 'e1', 'The customer says our price is too high compared with a competitor.');
    const events = await h.waitFor(conversation.id, (all) => insightsOn(all, 'e1').length === 1);
    await reactor.stop();
    const [reply] = repliesTo(events, 'e1');
    if (reply?.type !== 'MessageReceived') throw new Error('no reply');
    expect(reply.data.text).toMatch(/Next steps/);
    expect(reply.data.citations.length).toBeGreaterThan(0);
  });

  it('appends nothing new when the events are delivered again or the reactor restarts from an old checkpoint', async () => {
    const conversation = dm();
    const first = h.reactor();
    await h.say(conversation, 'm1', '競合の方が安いと言われました');
    await h.waitFor(conversation.id, (all) => insightsOn(all, 'm1').length === 1);
    await first.stop();
    const before = await h.events(conversation.id);

    // A reactor whose checkpoint is back at the start sees every event again.
    await createPgCheckpointStore(h.db.pool).save('replay', START);
    const { llm, calls } = countingLlm();
    const replay = h.reactor({ name: 'replay', llm });
    await h.caughtUp('replay', conversation.id);
    await replay.stop();
    expect(await h.events(conversation.id)).toHaveLength(before.length);
    expect(calls).toEqual([]);
  });

  it('records the reply even when it has to be asked again after a crash between reply and insight', async () => {
    const conversation = dm();
    await h.say(conversation, 'm1', '決裁者に会わせてもらえません');
    // An insight-less reply, as if the process died right after recording the reply.
    const { llm, calls } = countingLlm();
    const failingInsight = {
      ...llm,
      complete: async (request: Parameters<typeof llm.complete>[0]) => {
        if (request.json) throw new Error('process died');
        return llm.complete(request);
      },
    };
    const crashing = h.reactor({ name: 'crash', llm: failingInsight, maxAttempts: 1 });
    await h.waitFor(conversation.id, (all) => repliesTo(all, 'm1').length === 1);
    await crashing.stop();
    await createPgCheckpointStore(h.db.pool).save('crash-2', START);
    const second = h.reactor({ name: 'crash-2', llm });
    const events = await h.waitFor(conversation.id, (all) => insightsOn(all, 'm1').length === 1);
    await second.stop();
    expect(repliesTo(events, 'm1')).toHaveLength(1);
    // The second run only asked for the insight (the reply was there already).
    expect(calls.filter((c) => c === 'reply')).toHaveLength(1);
  });

  it('shows a reply that was recorded but never shown (the process died in between), without asking the model again', async () => {
    const conversation = dm();
    const { presenter, shown } = recordingPresenter();
    // The first process begins showing the reply (a placeholder is up), records it, and dies
    // before the answer replaces the placeholder.
    const dying: ReplyPresenter = {
      begin: async (context) => ({
        ...(await presenter.begin(context)),
        finish: () => {
          throw new Error('process died');
        },
      }),
    };
    const first = h.reactor({ name: 'unshown', presenter: dying });
    await h.say(conversation, 'm1', '価格交渉の進め方を教えてください');
    const events = await h.waitFor(conversation.id, (all) => insightsOn(all, 'm1').length === 1);
    await first.stop();
    const [recorded] = repliesTo(events, 'm1');
    if (recorded?.type !== 'MessageReceived') throw new Error('no reply');

    await createPgCheckpointStore(h.db.pool).save('unshown-2', START);
    const { llm, calls } = countingLlm();
    const second = h.reactor({ name: 'unshown-2', llm, presenter });
    await h.caughtUp('unshown-2', conversation.id);
    await second.stop();
    expect(calls).toEqual([]);
    const mine = shown.filter((s) => s.context.conversation.id === conversation.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.resumed).toBe(true);
    expect(mine[0]!.final).toBe(recorded.data.text);
    expect(mine[0]!.citations).toEqual(recorded.data.citations);
    expect(await h.events(conversation.id)).toHaveLength(events.length);
  });

  it('answers the messages of a conversation in order, conversations side by side', async () => {
    const a = dm();
    const b = dm();
    for (let i = 1; i <= 3; i++) {
      await h.say(a, `a${i}`, `値引きを求められています (${i})`);
      await h.say(b, `b${i}`, `失注しそうです、どうすればいいですか (${i})`);
    }
    const reactor = h.reactor({ concurrency: 2 });
    const inA = await h.waitFor(a.id, (all) => insightsOn(all, 'a3').length === 1);
    const inB = await h.waitFor(b.id, (all) => insightsOn(all, 'b3').length === 1);
    await reactor.stop();
    const order = (events: SalesEvent[]) =>
      events.flatMap((e) =>
        e.type === 'MessageReceived' && e.data.role === 'assistant' ? [e.data.replyTo] : [],
      );
    expect(order(inA)).toEqual(['a1', 'a2', 'a3']);
    expect(order(inB)).toEqual(['b1', 'b2', 'b3']);
  });

  it('does not answer a message of a session that has ended since', async () => {
    const conversation = dm();
    const [started] = await h.say(conversation, 'm1', '価格交渉のコツは？');
    if (started?.type !== 'SessionStarted') throw new Error('expected a new session');
    await h.send(
      {
        type: 'EndSession',
        conversationId: conversation.id,
        sessionId: started.data.sessionId,
        reason: 'user',
      },
      'end-1',
    );
    await h.say(conversation, 'm2', 'もう一度聞きます：価格交渉のコツは？');
    const reactor = h.reactor();
    const events = await h.waitFor(conversation.id, (all) => repliesTo(all, 'm2').length === 1);
    await reactor.stop();
    expect(repliesTo(events, 'm1')).toEqual([]);
  });

  it('with INSIGHTS_MODE=session_end derives one insight per session, when it ends', async () => {
    const conversation = dm();
    const reactor = h.reactor({ name: 'session-end', insightsMode: 'session_end' });
    const [started] = await h.say(conversation, 'm1', 'ヒアリングで何を聞けばいいですか？');
    if (started?.type !== 'SessionStarted') throw new Error('expected a new session');
    await h.waitFor(conversation.id, (all) => repliesTo(all, 'm1').length === 1);
    await h.say(conversation, 'm2', '予算はどう確認しますか？');
    await h.waitFor(conversation.id, (all) => repliesTo(all, 'm2').length === 1);
    expect(await h.insights(conversation.id)).toEqual([]);
    await h.send(
      {
        type: 'EndSession',
        conversationId: conversation.id,
        sessionId: started.data.sessionId,
        reason: 'user',
      },
      'end-2',
    );
    const events = await h.waitFor(conversation.id, (all) => insightsOn(all, null).length === 1);
    await reactor.stop();
    expect(events.filter((e) => e.type === 'InsightDerived')).toHaveLength(1);
  });

  it('stores its checkpoint past what it handled', async () => {
    const conversation = dm();
    const reactor = h.reactor({ name: 'checkpointed' });
    await h.say(conversation, 'm1', 'クロージングの一言を教えてください');
    await h.waitFor(conversation.id, (all) => insightsOn(all, 'm1').length === 1);
    await reactor.stop();
    const checkpoint = await createPgCheckpointStore(h.db.pool).get('checkpointed');
    // The checkpoint is past the message it answered (it may or may not be past its own reply,
    // depending on when the stop came) and never past the newest event.
    const handled = await h.store.readAll({
      maxCount: 100_000,
      types: ['SessionStarted', 'MessageReceived', 'SessionEnded'],
    });
    const asked = handled.find(
      (e) => e.type === 'MessageReceived' && (e.data as { messageId: string }).messageId === 'm1',
    );
    expect(checkpoint).not.toBeNull();
    expect(comparePositions(checkpoint!, asked!.position)).toBeGreaterThanOrEqual(0);
    expect(comparePositions(checkpoint!, handled.at(-1)!.position)).toBeLessThanOrEqual(0);
  });
});
