import type { Rubric } from '../../../schemas/rubrics.ts';
import type { Language } from '../language.ts';
import type { ChatMessage } from '../llm/port.ts';

/**
 * The rubric's skills as the prompt lists them, 1–5 each: the same words for the same rubric
 * version in every prompt, so its scores compare over time.
 */
export const rubricLines = (rubric: Pick<Rubric, 'skills'>): string =>
  rubric.skills
    .map((s) => `- ${s.key}（${s.label.ja} / ${s.label.en}）: ${s.description.ja} / ${s.description.en}`)
    .join('\n');

const scale = `1 = できていない／見られない、2 = 不十分、3 = 標準的、4 = よくできている、5 = 模範的`;

export type InsightTask = 'insight' | 'roleplay_score';

export const insightSystemPrompt = (
  task: InsightTask,
  language: Language,
  persona: string | null,
  rubric: Pick<Rubric, 'name' | 'skills'>,
): string => {
  const subject =
    task === 'roleplay_score'
      ? `営業担当者が、買い手（${persona ?? '指定なし'}）を相手にロールプレイをしました。担当者（「担当者」の発言）の営業スキルを採点してください。買い手の発言は評価の対象外です。`
      : '営業担当者がAIコーチに商談の相談をしました。相談の内容（「担当者」の発言に表れた商談の進め方・考え方）から、担当者の営業スキルを評価してください。コーチの発言は評価の対象外です。';
  return `あなたは営業マネージャーとして、部下の営業スキルを公正に評価します。${subject}

## 評価項目（${rubric.name.ja} / ${rubric.name.en}、各1〜5の整数）
${rubricLines(rubric)}
${scale}
発言から判断できない項目は、推測で高くせず 2〜3 にとどめる。

## 出力
指定されたJSONスキーマのオブジェクトだけを出力する。
- strengths: 良かった点（1〜3個、具体的な発言に基づいて）
- improvements: 改善点（1〜3個）
- nextActions: 次の商談で試す具体的な行動（1〜3個）
- summary: 全体の講評（2〜3文）
文章は${language === 'ja' ? '日本語' : '英語（English）'}で書く。`;
};

const speaker = (message: ChatMessage, task: InsightTask) =>
  message.role === 'user' ? '担当者' : task === 'roleplay_score' ? '買い手' : 'コーチ';

/** The conversation to judge, as one user message (the real providers read it; the mock reads hints). */
export const transcriptMessage = (transcript: readonly ChatMessage[], task: InsightTask): ChatMessage => ({
  role: 'user',
  content: `## 評価する会話\n${transcript.map((m) => `${speaker(m, task)}: ${m.content}`).join('\n\n')}\n\n上の会話を評価し、JSONで答えてください。`,
});
