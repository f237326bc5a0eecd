import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, EventOf, SalesEvent } from '../../schemas/events/index.ts';
import { sessionModeFields } from '../../write/agent/intent.ts';
import { closingReplyTo } from '../../write/dialogue/stream.ts';
import { dm, type Harness, recordingPresenter, startHarness } from './harness.ts';

const assistant = (events: SalesEvent[]) =>
  events.filter(
    (e): e is EventOf<'MessageReceived'> => e.type === 'MessageReceived' && e.data.role === 'assistant',
  );
const replyTo = (events: SalesEvent[], id: string) => assistant(events).find((e) => e.data.replyTo === id);

describe('roleplay (Postgres event store, mock LLM)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('plays the persona until the rep ends it, then replies with the scorecard and records the insight', async () => {
    const conversation = dm();
    const { presenter, shown } = recordingPresenter();
    const reactor = h.reactor({ presenter });
    const start = 'ロールプレイ: 価格に厳しい購買担当';
    const [started] = await h.say(conversation, 'r0', start, sessionModeFields(start));
    expect(started?.type === 'SessionStarted' && started.data).toMatchObject({
      mode: 'roleplay',
      persona: '価格に厳しい購買担当',
    });
    const opening = await h.waitFor(conversation.id, (all) => !!replyTo(all, 'r0'));
    expect(replyTo(opening, 'r0')!.data.text).toMatch(/購買|費用/);

    await h.say(conversation, 'r1', '御社の現在の課題は何でしょうか？月に何時間ほど集計に使っていますか？');
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'r1'));
    await h.say(conversation, 'r2', 'おっしゃる通りです。価格は何と比べて高いとお感じですか？');
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'r2'));
    await h.say(conversation, 'r3', '終了');
    const events = await h.waitFor(conversation.id, (all) => all.some((e) => e.type === 'SessionEnded'));
    await reactor.stop();

    const scorecard = replyTo(events, 'r3')!;
    expect(scorecard.data.text).toContain('スコアカード');
    expect(scorecard.data.text).toContain('価格に厳しい購買担当');
    expect(scorecard.data.citations).toEqual([]);
    const insights = events.filter((e): e is EventOf<'InsightDerived'> => e.type === 'InsightDerived');
    expect(insights).toHaveLength(1);
    expect(insights[0]!.data.basedOnMessageId).toBeNull();
    // The rep asked questions with numbers: hearing is scored above the floor.
    expect(insights[0]!.data.scores.hearing).toBeGreaterThan(1);
    expect(insights[0]!.data.summary).toContain('価格に厳しい購買担当');
    const ended = events.find((e): e is EventOf<'SessionEnded'> => e.type === 'SessionEnded')!;
    expect(ended.data.reason).toBe('roleplay_finished');
    // The buyer's lines were presented as roleplay, the scorecard as a scorecard.
    expect(shown.map((s) => s.context.kind)).toEqual(['roleplay', 'roleplay', 'roleplay', 'scorecard']);
    // No per-message insights during a roleplay: only the scorecard's.
    expect(events.indexOf(insights[0]!)).toBeGreaterThan(events.indexOf(replyTo(events, 'r2')!));
  });

  it('keeps the scorecard out of a channel: the scores are recorded, the reply says where to see them', async () => {
    const thread = `1700000000.${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const conversation: Conversation = {
      id: `T1:${channel}:${thread}`,
      teamId: 'T1',
      channelId: channel,
      channelKind: 'channel',
      threadTs: thread,
    };
    const reactor = h.reactor();
    const start = 'ロールプレイ: 価格に厳しい購買担当';
    await h.say(conversation, 'c0', start, sessionModeFields(start));
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'c0'));
    await h.say(conversation, 'c1', '御社の現在の課題は何でしょうか？月に何時間ほど集計に使っていますか？');
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'c1'));
    await h.say(conversation, 'c2', '終了');
    const events = await h.waitFor(conversation.id, (all) => all.some((e) => e.type === 'SessionEnded'));
    await reactor.stop();
    const closing = replyTo(events, 'c2')!.data.text;
    expect(closing).toContain('/ai_history');
    expect(closing).not.toMatch(/\d\/5/);
    expect(closing).not.toContain('スコアカード：');
    expect(events.filter((e) => e.type === 'InsightDerived')).toHaveLength(1);
  });

  it('scores a roleplay ended by EndSession with a closing reply', async () => {
    const conversation = dm();
    const reactor = h.reactor();
    const start = 'roleplay: skeptical CFO';
    const [started] = await h.say(conversation, 'x0', start, sessionModeFields(start));
    if (started?.type !== 'SessionStarted') throw new Error('expected a roleplay session');
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'x0'));
    await h.say(
      conversation,
      'x1',
      'Thank you for your time. What does month-end closing cost your team today?',
    );
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'x1'));
    await h.send(
      {
        type: 'EndSession',
        conversationId: conversation.id,
        sessionId: started.data.sessionId,
        reason: 'user',
      },
      'end-roleplay',
    );
    const closing = closingReplyTo(started.data.sessionId);
    const events = await h.waitFor(conversation.id, (all) => !!replyTo(all, closing));
    await reactor.stop();
    expect(replyTo(events, closing)!.data.text).toContain('Roleplay finished: scorecard');
    expect(events.filter((e) => e.type === 'InsightDerived')).toHaveLength(1);
  });

  it('scores the previous roleplay when the rep starts another one', async () => {
    const conversation = dm();
    const reactor = h.reactor();
    const first = 'ロールプレイ: 情シスの課長';
    const [started] = await h.say(conversation, 'p0', first, sessionModeFields(first));
    if (started?.type !== 'SessionStarted') throw new Error('expected a roleplay session');
    await h.say(conversation, 'p1', 'セキュリティ面のご懸念は何でしょうか？');
    await h.waitFor(conversation.id, (all) => !!replyTo(all, 'p1'));
    const second = 'ロールプレイ: 多忙な部長';
    await h.say(conversation, 'p2', second, sessionModeFields(second));
    const events = await h.waitFor(
      conversation.id,
      (all) => !!replyTo(all, closingReplyTo(started.data.sessionId)) && !!replyTo(all, 'p2'),
    );
    await reactor.stop();
    const order = assistant(events).map((e) => e.data.replyTo);
    expect(order).toEqual(['p0', 'p1', closingReplyTo(started.data.sessionId), 'p2']);
  });
});
