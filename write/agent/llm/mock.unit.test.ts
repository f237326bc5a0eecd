import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type SkillKey, SkillScores } from '../../../schemas/skills.ts';
import { createMockLlm, mockModel } from './mock.ts';
import { type ChatMessage, type ChatRequest, type HintDocument, LlmError } from './port.ts';

const knowledge = new URL('../../../knowledge/', import.meta.url);

/** A knowledge file as retrieval would hand it over (title from the front matter, body without it). */
const doc = (id: string): HintDocument => {
  const raw = readFileSync(new URL(`${id}.md`, knowledge), 'utf8');
  const title = /^title:\s*(.+)$/m.exec(raw)?.[1]?.trim() ?? id;
  const body = raw.replace(/^---[\s\S]*?---\n/, '');
  return { id, title, snippet: body.slice(0, 200), body };
};

const reply = (
  message: string,
  documents: HintDocument[],
  language: 'ja' | 'en' = 'ja',
  weakestSkills: SkillKey[] = [],
): ChatRequest => ({
  system: 'You are a sales coach.',
  messages: [{ role: 'user', content: message }],
  hints: { task: 'reply', language, documents, weakestSkills },
});

const llm = createMockLlm();
const text = async (request: ChatRequest) => (await llm.complete(request)).text;

const insightJson = z.object({
  scores: SkillScores,
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  nextActions: z.array(z.string()).min(1),
  summary: z.string().min(1),
});
const insightSchema = {
  type: 'object',
  properties: { scores: {}, strengths: {}, improvements: {}, nextActions: {}, summary: {} },
};

describe('mock LLM: coaching replies', () => {
  it('is deterministic, and its stream assembles into the same text', async () => {
    const request = reply('「高い」と言われました', [doc('objection-price')], 'ja', ['closing']);
    const first = await llm.complete(request);
    expect(await text(request)).toBe(first.text);
    expect(first).toMatchObject({ model: mockModel, finishReason: 'stop' });
    const deltas: string[] = [];
    for await (const delta of llm.stream(request)) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(first.text);
  });

  it('cites only the documents that answer: one scoring under half the best is left out', async () => {
    const scored = (id: string, score: number, section?: string): HintDocument => ({
      ...doc(id),
      score,
      ...(section ? { section } : {}),
    });
    const answer = await text(
      reply('お客様に「高い」と言われてしまいました。どう返せばいいですか？', [
        scored('objection-price', 28.6, '「高い」の本当の意味を確かめる'),
        scored('roi-presentation', 15.1),
        scored('first-meeting-icebreak', 9.0),
        scored('followup-email-after-proposal', 8.7),
      ]),
    );
    const sources = answer.slice(answer.lastIndexOf('参考：'));
    expect(sources).toContain('[1] 価格反論「高い」への対応 › 「高い」の本当の意味を確かめる');
    expect(sources).toContain('[2] ROI・費用対効果の示し方');
    expect(sources).not.toMatch(/アイスブレイク|フォローメール|\[3\]/);
    expect(answer).not.toMatch(/\[3\]/);
  });

  const japanese: [string, string, string, string][] = [
    [
      'price',
      'お客様に「高い」と言われてしまいました。どう返せばいいですか？',
      'objection-price',
      '価格への反論',
    ],
    ['timing', '「検討します」と言われてそのまま終わってしまった', 'objection-timing', '先送り'],
    ['competitor', '他社の方が安いと言われました', 'objection-competitor', '競合'],
    ['authority', '「上に確認しないと決められない」と言われた', 'objection-authority', '決裁権'],
    ['status quo', '「今のままで特に困っていない」と言われました', 'objection-status-quo', '現状維持'],
    ['discovery', '初回のヒアリングで何を聞けばいいですか', 'spin-questions', 'ヒアリングの組み立て'],
    ['SPIN', 'SPIN話法の示唆質問の例を教えて', 'spin-questions', 'ヒアリングの組み立て'],
    ['proposal', '提案書の構成を教えてください', 'proposal-structure', '提案の組み立て'],
    ['closing', 'クロージングが苦手です。最後の一押しは？', 'closing-techniques', 'クロージングの場面'],
    [
      'follow-up mail',
      '初回商談のあとのお礼メールの書き方を教えて',
      'followup-email-first-meeting',
      'フォローメール',
    ],
    ['negotiation', '値引きを求められています', 'negotiation-discount-policy', '値引き交渉'],
    ['demo', '来週デモをするのですが、コツはありますか', 'demo-best-practices', 'デモの準備'],
    ['account planning', 'アカウントプランの作り方を知りたい', 'account-planning', '関係者マップ'],
  ];
  it.each(japanese)(
    'recognises %s in Japanese and cites the knowledge',
    async (_, message, id, keyPhrase) => {
      const document = doc(id);
      const answer = await text(reply(message, [document, doc('relationship-building')]));
      expect(answer).toContain(keyPhrase);
      expect(answer).toContain(`[1] ${document.title}`);
      expect(answer).toContain('*次の一手*');
      expect(answer.match(/^\d\. /gm)?.length).toBeGreaterThanOrEqual(3);
      expect(answer.match(/❓/g)).toHaveLength(1);
    },
  );

  const english: [string, string, string, string][] = [
    [
      'price',
      'The customer said we are too expensive for their budget.',
      'objection-price',
      'price objection',
    ],
    ['timing', 'They said "let us think about it" and the meeting ended.', 'objection-timing', 'stall'],
    ['competitor', 'They are comparing us with a competitor.', 'objection-competitor', 'competitor'],
    ['discovery', 'How should I run a discovery call?', 'discovery-call-checklist', 'discovery'],
    [
      'closing',
      'I struggle with closing. How do I ask for the order?',
      'closing-techniques',
      'closing stage',
    ],
    [
      'follow-up',
      'Can you help me write a follow-up email after the first meeting?',
      'followup-email-first-meeting',
      'follow-up email',
    ],
    [
      'champion',
      'Our champion is leaving the account, what should I do?',
      'champion-leaving',
      'stakeholders',
    ],
  ];
  it.each(english)('recognises %s in English and answers in English', async (_, message, id, keyPhrase) => {
    const document = doc(id);
    const answer = await text(reply(message, [document], 'en'));
    expect(answer.toLowerCase()).toContain(keyPhrase);
    expect(answer).toContain(`[1] ${document.title}`);
    expect(answer).toContain('*Next steps*');
    expect(answer.split('\n')[0]).not.toMatch(/[\u3040-\u30ff]/);
  });

  it('quotes an example phrase from the top document, not a phrase from its "mistakes" section', async () => {
    const answer = await text(reply('「検討します」と言われた', [doc('objection-timing')]));
    expect(answer).toContain('*ナレッジベースより*');
    expect(answer).not.toContain('ご検討よろしくお願いします');
    const quoted = answer.split('*ナレッジベースより*')[1]!.split('\n')[1]!;
    expect(readFileSync(new URL('objection-timing.md', knowledge), 'utf8')).toContain(
      quoted.replace(/^• 「/, '').replace(/」 \[1\]$/, ''),
    );
  });

  it('adds a one-line tip for the weakest skill', async () => {
    const answer = await text(reply('「高い」と言われました', [doc('objection-price')], 'ja', ['closing']));
    expect(answer).toContain('*伸ばしたいスキル（クロージング）*');
    const en = await text(reply('Too expensive, they said.', [], 'en', ['hearing']));
    expect(en).toContain('*Skill to grow (Hearing / discovery)*');
  });

  it('answers a greeting with what it can do, and works without documents', async () => {
    const answer = await text(reply('こんにちは！', []));
    expect(answer).toContain('営業コーチ');
    expect(answer).toContain('/ai_knowledge');
    expect(answer).not.toContain('参考：');
  });

  it('falls back to the top document when the words match no situation', async () => {
    const answer = await text(reply('うーん、どうしよう', [doc('objection-price')]));
    expect(answer).toContain('価格への反論');
  });

  it('works without hints, detecting the language', async () => {
    const answer = await text({
      system: '',
      messages: [{ role: 'user', content: 'They asked for a discount.' }],
    });
    expect(answer).toContain('discount negotiation');
  });

  it('reports an aborted request as LlmError aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(llm.complete({ ...reply('高い', []), signal: controller.signal })).rejects.toBeInstanceOf(
      LlmError,
    );
  });
});

describe('mock LLM: insights', () => {
  const transcript: ChatMessage[] = [
    {
      role: 'user',
      content:
        '今日の商談で「高い」と言われたので、何と比べて高いのか理由を伺いました。月40時間の削減効果があると説明しました。',
    },
    { role: 'assistant', content: '良い切り返しです。次のステップは決まりましたか？' },
    {
      role: 'user',
      content: '来週水曜に部長様も交えて次回の日程を合意しました。お時間へのお礼も伝えました。',
    },
  ];
  const insight = async (messages: ChatMessage[], language: 'ja' | 'en' = 'ja') =>
    insightJson.parse(
      JSON.parse(
        await text({
          system: '',
          messages: [],
          json: { name: 'insight', schema: insightSchema },
          hints: { task: 'insight', language, documents: [], weakestSkills: [], transcript: messages },
        }),
      ),
    );

  it('returns JSON with every score an integer from 1 to 5, by transparent rules', async () => {
    const result = await insight(transcript);
    for (const score of Object.values(result.scores)) expect(score).toBeGreaterThanOrEqual(1);
    expect(result.scores.objection_handling).toBeGreaterThanOrEqual(4);
    expect(result.scores.closing).toBeGreaterThanOrEqual(3);
    expect(result.summary).toContain('5段階評価');
    expect(result.strengths.length).toBeGreaterThan(0);
  });

  it('scores what the rep said, not what the coach said', async () => {
    const result = await insight([
      { role: 'user', content: 'ok' },
      { role: 'assistant', content: '次回の日程と決裁者を確認し、ROIと効果を示し、質問しましょう？' },
    ]);
    expect(result.scores).toEqual({
      hearing: 1,
      proposal: 1,
      objection_handling: 1,
      closing: 1,
      relationship: 1,
    });
  });

  it('answers in the transcript language', async () => {
    const result = await insight(
      [
        {
          role: 'user',
          content: 'I asked why they felt it was expensive and agreed a next step for Friday. Thanks!',
        },
      ],
      'ja',
    );
    expect(result.summary).toMatch(/^Scores/);
    expect(result.scores.closing).toBeGreaterThan(1);
  });

  it('keeps to the fields the schema names', async () => {
    const out = JSON.parse(
      await text({
        system: '',
        messages: [],
        json: { name: 'insight', schema: { type: 'object', properties: { scores: {}, summary: {} } } },
        hints: { task: 'insight', language: 'ja', documents: [], weakestSkills: [], transcript },
      }),
    );
    expect(Object.keys(out)).toEqual(['scores', 'summary']);
  });
});

describe('mock LLM: roleplay', () => {
  const persona = '価格に厳しい購買担当';
  const repLines = [
    'はじめまして、本日はお時間をいただきありがとうございます。',
    '現在、見積書はどのように作成されていますか？',
    '弊社のツールなら見積書を自動で作成できます。',
    '費用は月額10万円です。',
    '同業の事例では月40時間の削減になりました。',
    'では来週、部長様も交えて日程をいただけますか？',
  ];
  const play = async () => {
    const transcript: ChatMessage[] = [];
    const buyer: string[] = [];
    for (const line of repLines) {
      transcript.push({ role: 'user', content: line });
      const answer = await text({
        system: '',
        messages: [...transcript],
        hints: {
          task: 'roleplay',
          language: 'ja',
          documents: [],
          weakestSkills: [],
          persona,
          transcript: [...transcript],
        },
      });
      buyer.push(answer);
      transcript.push({ role: 'assistant', content: answer });
    }
    return { transcript, buyer };
  };

  it('stays in the persona of a price-focused buyer and never coaches', async () => {
    const { buyer } = await play();
    expect(new Set(buyer).size).toBe(buyer.length);
    expect(buyer.filter((line) => /予算|価格|安く|見積|費用|金額/.test(line)).length).toBeGreaterThanOrEqual(
      3,
    );
    for (const line of buyer) {
      expect(line).toMatch(/[\u3040-\u30ff]/);
      expect(line).not.toMatch(/次の一手|参考：|\[1\]|❓|コーチ/);
    }
    // The price the rep names meets an objection.
    expect(buyer[3]).toMatch(/予算|高い|厳しい/);
  });

  it('is deterministic turn by turn', async () => {
    expect((await play()).buyer).toEqual((await play()).buyer);
  });

  it('scores the roleplay turns of the rep as insight JSON', async () => {
    const { transcript } = await play();
    const result = insightJson.parse(
      JSON.parse(
        await text({
          system: '',
          messages: [],
          json: { name: 'roleplay_score', schema: insightSchema },
          hints: {
            task: 'roleplay_score',
            language: 'ja',
            documents: [],
            weakestSkills: [],
            persona,
            transcript,
          },
        }),
      ),
    );
    expect(result.summary).toContain(persona);
    expect(result.scores.hearing).toBeGreaterThan(1);
  });
});
