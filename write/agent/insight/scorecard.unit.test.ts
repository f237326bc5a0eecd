import { describe, expect, it } from 'vitest';
import { coreRubric } from '../../../schemas/rubrics.ts';
import { renderScorecard } from './scorecard.ts';

const insight = {
  scores: { hearing: 4, proposal: 3, objection_handling: 2, closing: 1, relationship: 5 },
  strengths: ['質問で課題を掘り下げた'],
  improvements: ['価格反論の理由を聞いていない'],
  nextActions: ['「何と比べて」を聞く'],
  summary: 'ヒアリングは良好です。',
};

describe('the roleplay scorecard', () => {
  it('shows the rubric as stars and the feedback, in Japanese', () => {
    const text = renderScorecard(insight, coreRubric, 'ja', '価格に厳しい購買担当');
    expect(text).toContain('*ロールプレイ終了：スコアカード*（相手：価格に厳しい購買担当）');
    expect(text).toContain('• ヒアリング：★★★★☆ 4/5');
    expect(text).toContain('• クロージング：★☆☆☆☆ 1/5');
    expect(text).toContain('*良かった点*\n• 質問で課題を掘り下げた');
    expect(text).toContain('*総評*\nヒアリングは良好です。');
  });

  it('speaks English to an English-speaking rep', () => {
    const text = renderScorecard(insight, coreRubric, 'en', null);
    expect(text).toContain('*Roleplay finished: scorecard*');
    expect(text).toContain('• Objection handling: ★★☆☆☆ 2/5');
  });
});
