import { describe, expect, it } from 'vitest';
import { coreRubric } from '../../../schemas/rubrics.ts';
import { insightJsonSchema } from '../insight/schema.ts';
import type { RetrievedDocument } from '../ports.ts';
import { buildCoachingRequest, buildInsightRequest, buildRoleplayRequest } from './build.ts';
import { citationsIn } from './knowledge.ts';

const documents: RetrievedDocument[] = [
  {
    id: 'objection-price',
    title: '価格反論「高い」への対応',
    snippet: '価格…',
    body: '## 本文\n価格の話',
    version: 2,
  },
  { id: 'spin-questions', title: 'SPIN話法', snippet: 'SPINの…' },
];

describe('the coaching prompt', () => {
  const request = buildCoachingRequest({
    session: [{ role: 'user', content: '価格が高いと言われました' }],
    language: 'ja',
    documents,
    weakestSkills: ['objection_handling', 'closing'],
  });

  it('is a Japanese sales-coaching prompt with the rules', () => {
    expect(request.system).toContain('営業コーチ');
    expect(request.system).toContain('言い回しの例');
    expect(request.system).toContain('[1]');
    expect(request.system).toMatch(/質問を1つだけ/);
    expect(request.system).toContain('日本語で答えてください');
  });

  it('numbers the knowledge documents for citation, bodies first', () => {
    expect(request.system).toContain('[1] 価格反論「高い」への対応\n## 本文\n価格の話');
    expect(request.system).toContain('[2] SPIN話法\nSPINの…');
  });

  it('names the weakest skills, weakest first', () => {
    expect(request.system).toMatch(/反論処理（Objection handling）、クロージング（Closing）/);
  });

  it('gives the mock the same context as hints', () => {
    expect(request.hints).toEqual({
      task: 'reply',
      language: 'ja',
      documents: [
        {
          id: 'objection-price',
          title: '価格反論「高い」への対応',
          snippet: '価格…',
          body: '## 本文\n価格の話',
        },
        { id: 'spin-questions', title: 'SPIN話法', snippet: 'SPINの…' },
      ],
      weakestSkills: ['objection_handling', 'closing'],
    });
    expect(request.messages).toEqual([{ role: 'user', content: '価格が高いと言われました' }]);
  });

  it('asks for English when the rep writes English, and says when no knowledge matched', () => {
    const english = buildCoachingRequest({
      session: [{ role: 'user', content: 'They said we are too expensive' }],
      language: 'en',
      documents: [],
      weakestSkills: [],
    });
    expect(english.system).toContain('answer in English');
    expect(english.system).toContain('見つかりませんでした');
    expect(english.system).not.toContain('伸ばしたいスキル');
  });

  it('mentions left-out history', () => {
    const long = Array.from({ length: 40 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: 'とても長いメッセージです。'.repeat(20),
    }));
    const trimmed = buildCoachingRequest({ session: long, language: 'ja', documents: [], weakestSkills: [] });
    expect(trimmed.system).toMatch(/途中の\d+件は省略/);
  });
});

describe('citations', () => {
  it('are the documents the reply cites by number, in order; made-up numbers are ignored', () => {
    expect(citationsIn('まず受け止める [2]。比較対象を聞く [1][2]。根拠 [7]', documents)).toEqual([
      { documentId: 'objection-price', title: '価格反論「高い」への対応', version: 2 },
      { documentId: 'spin-questions', title: 'SPIN話法' },
    ]);
    expect(citationsIn('出典なし', documents)).toEqual([]);
  });
});

describe('the roleplay and insight prompts', () => {
  it('casts the agent as the persona and passes the whole roleplay to the mock', () => {
    const session = [
      { role: 'user' as const, content: 'ロールプレイ: 価格に厳しい購買担当' },
      { role: 'assistant' as const, content: 'よろしくお願いします。' },
      { role: 'user' as const, content: '御社の課題は何でしょうか？' },
    ];
    const request = buildRoleplayRequest({ session, language: 'ja', persona: '価格に厳しい購買担当' });
    expect(request.system).toContain('価格に厳しい購買担当');
    expect(request.system).toContain('買い手として話す');
    expect(request.hints).toMatchObject({
      task: 'roleplay',
      persona: '価格に厳しい購買担当',
      transcript: session,
    });
  });

  it('asks for the insight JSON schema, with the rubric and the transcript', () => {
    const request = buildInsightRequest({
      transcript: [
        { role: 'user', content: '価格が高いと言われました' },
        { role: 'assistant', content: 'まず受け止めましょう' },
      ],
      task: 'insight',
      language: 'en',
      persona: null,
    });
    expect(request.json).toEqual({ name: 'insight', schema: insightJsonSchema(coreRubric) });
    expect(request.system).toContain('objection_handling');
    expect(request.system).toContain('英語（English）');
    expect(request.messages).toHaveLength(1);
    expect(request.messages[0]!.content).toContain('担当者: 価格が高いと言われました');
    expect(request.messages[0]!.content).toContain('コーチ: まず受け止めましょう');
    expect(request.hints?.transcript).toHaveLength(2);
  });
});
