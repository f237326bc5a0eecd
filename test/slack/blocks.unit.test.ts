import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../schemas/api/read-models.ts';
import { coreRubric } from '../../schemas/rubrics.ts';
import { helpBlocks } from '../../slack-edge/blocks/help.ts';
import { historyBlocks } from '../../slack-edge/blocks/history.ts';
import { homeView } from '../../slack-edge/blocks/home.ts';
import { replyFooterBlocks, replyPieces } from '../../slack-edge/blocks/reply.ts';
import { decodeReplyRef, encodeReplyRef } from '../../slack-edge/blocks/reply-ref.ts';
import { historySubject } from '../../slack-edge/listeners/commands/ai-history.ts';
import { slackTextToPlain, tsToIso } from '../../slack-edge/text/slack-text.ts';

const ref = {
  conversationId: 'T1:C1:1700000000.000100',
  sessionId: '6f1c1d1e-2a3b-5c4d-8e5f-6a7b8c9d0e1f',
  replyTo: '1700000000.000100',
  ownerId: 'U1',
};

const scores = (n: number) => ({
  hearing: n,
  proposal: n,
  objection_handling: n - 1,
  closing: n,
  relationship: n,
});

const history: HistoryResponse = {
  userId: 'U1',
  rubric: { id: 'core', version: 1 },
  asOf: null,
  from: null,
  to: null,
  profile: {
    insights: 4,
    sessions: 3,
    firstAt: '2026-01-05T00:00:00.000Z',
    lastAt: '2026-01-20T00:00:00.000Z',
    average: scores(3),
    current: scores(3.5),
    weakest: ['objection_handling', 'hearing'],
  },
  sessions: [
    { sessionId: ref.sessionId, startedAt: '2026-01-05T00:00:00.000Z', insights: 1, scores: scores(2) },
    { sessionId: ref.sessionId, startedAt: '2026-01-12T00:00:00.000Z', insights: 2, scores: scores(3) },
    { sessionId: ref.sessionId, startedAt: '2026-01-20T00:00:00.000Z', insights: 1, scores: scores(4) },
  ],
  trend: {
    slope: { hearing: 1, proposal: 1, objection_handling: 0, closing: -0.5, relationship: 1 },
    weekly: [
      { week: '2026-W02', sessions: 1, insights: 1, scores: scores(2) },
      { week: '2026-W03', sessions: 2, insights: 3, scores: scores(3) },
    ],
  },
} as HistoryResponse;

const allText = (blocks: unknown) => JSON.stringify(blocks);

describe('reply references in button values', () => {
  it('round-trips, with the rating as a suffix', () => {
    expect(decodeReplyRef(encodeReplyRef(ref))).toEqual({ ref, suffix: null });
    expect(decodeReplyRef(encodeReplyRef(ref, 'down'))).toEqual({ ref, suffix: 'down' });
    expect(decodeReplyRef('r1|nonsense')).toBeNull();
    expect(decodeReplyRef('hello')).toBeNull();
  });
});

describe('the footer under a reply', () => {
  const citations = [{ documentId: 'price-objection', title: '価格反論への対応' }];

  it('coaching: sources, native feedback, a document button and the end-session button', () => {
    const blocks = replyFooterBlocks({
      ref,
      kind: 'coaching',
      language: 'ja',
      citations,
      feedback: 'native',
    });
    expect(blocks.map((b) => b.type)).toEqual(['context', 'context_actions', 'actions']);
    const text = allText(blocks);
    expect(text).toContain('参考資料');
    expect(text).toContain('[1] 価格反論への対応');
    expect(text).toContain('"feedback_buttons"');
    expect(text).toContain('"action_id":"show_document:0"');
    expect(text).toContain('"action_id":"end_session"');
    expect(text).toContain('セッション終了');
  });

  it('plain buttons when the native element is refused; English labels for English', () => {
    const blocks = replyFooterBlocks({
      ref,
      kind: 'coaching',
      language: 'en',
      citations: [],
      feedback: 'buttons',
    });
    const text = allText(blocks);
    expect(text).not.toContain('feedback_buttons');
    expect(text).toContain('"action_id":"reply_feedback:up"');
    expect(text).toContain('"action_id":"reply_feedback:down"');
    expect(text).toContain('End session');
  });

  it('a roleplay line ends the roleplay; a scorecard only takes feedback', () => {
    expect(
      allText(replyFooterBlocks({ ref, kind: 'roleplay', language: 'ja', citations, feedback: 'native' })),
    ).toMatch(/ロールプレイ終了/);
    const scorecard = allText(
      replyFooterBlocks({ ref, kind: 'scorecard', language: 'ja', citations, feedback: 'native' }),
    );
    expect(scorecard).toContain('feedback_buttons');
    expect(scorecard).not.toContain('end_session');
  });

  it('splits a long reply into messages of at most 3,000 characters', () => {
    const pieces = replyPieces(`**見出し**\n\n${'長い説明です。'.repeat(1500)}`);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(3000);
    expect(pieces[0]!.startsWith('*見出し*')).toBe(true);
  });
});

describe('help, history and Home', () => {
  it('help is in Japanese and English', () => {
    const text = allText(helpBlocks().blocks);
    expect(text).toContain('/ai_knowledge');
    expect(text).toContain('使い方');
    expect(text).toContain('How to use');
  });

  it('history shows each skill with its sparkline and trend, strengths, improvements and sessions per week', () => {
    const insight = {
      insightId: ref.sessionId,
      sessionId: ref.sessionId,
      userId: 'U1',
      basedOnMessageId: null,
      rubric: { id: 'core', version: 1 },
      provider: 'mock',
      promptHash: null,
      origin: 'live',
      scores: scores(4),
      strengths: ['質問が具体的'],
      improvements: ['次のアクションを決める'],
      nextActions: [],
      summary: '',
      model: 'mock',
      derivedAt: '2026-01-20T00:00:00.000Z',
    };
    const { blocks } = historyBlocks(
      { rubric: coreRubric, history, recentSessions: [], latestInsight: insight },
      'ja',
    );
    const text = allText(blocks);
    expect(text).toContain('ヒアリング：*3.5* `▃▅▆` ↗');
    expect(text).toContain('クロージング：*3.5* `▃▅▆` ↘');
    expect(text).toContain('質問が具体的');
    expect(text).toContain('次のアクションを決める');
    expect(text).toContain('W02: 1');
    expect(
      allText(
        historyBlocks({ rubric: coreRubric, history: null, recentSessions: [], latestInsight: null }, 'en')
          .blocks,
      ),
    ).toContain('No growth history yet');
  });

  it('Home suggests practising the weakest skill, with a button that starts a roleplay', () => {
    const view = homeView(
      {
        rubric: coreRubric,
        history,
        recentSessions: [
          {
            sessionId: ref.sessionId,
            userId: 'U1',
            mode: 'roleplay',
            persona: '価格に厳しい購買担当',
            channelKind: 'im',
            startedAt: '2026-01-20T00:00:00.000Z',
            endedAt: null,
            endReason: null,
            messageCount: 6,
            lastMessageAt: null,
            insightCount: 1,
            feedback: { up: 1, down: 0 },
          },
        ],
        latestInsight: null,
      },
      'ja',
    );
    const text = allText(view.blocks);
    expect(view.type).toBe('home');
    expect(text).toContain('反論処理');
    expect(text).toContain('"action_id":"start_roleplay"');
    expect(text).toContain('"value":"objection_handling"');
    expect(text).toContain('<!date^1768867200^');
    expect(text).toContain('進行中');
  });
});

describe('whose history /ai_history asks for', () => {
  it('reads an escaped mention or a bare user id; nothing means the caller', () => {
    expect(historySubject('<@U0REP123|tanaka>')).toBe('U0REP123');
    expect(historySubject('<@W0REP123>')).toBe('W0REP123');
    expect(historySubject('U0REP123')).toBe('U0REP123');
    expect(historySubject('')).toBeNull();
    expect(historySubject('@tanaka')).toBeNull();
  });
});

describe('Slack message text', () => {
  it('drops the bot mention, shows links and mentions readably, undoes escapes', () => {
    expect(
      slackTextToPlain('<@UBOT> 価格 &amp; 納期 &lt;急ぎ&gt; <https://x.y|資料> <@U2|tanaka>', 'UBOT'),
    ).toBe('価格 & 納期 <急ぎ> 資料 (https://x.y) @tanaka');
  });

  it('reads a message ts as an instant', () => {
    expect(tsToIso('1531420618.000200')).toBe('2018-07-12T18:36:58.000Z');
    expect(tsToIso('1531420618.123456')).toBe('2018-07-12T18:36:58.123Z');
  });
});
