import type { Rubric } from '../../../schemas/rubrics.ts';
import type { Language } from '../language.ts';
import type { InsightOutput } from './schema.ts';

const stars = (score: number) => '★'.repeat(score) + '☆'.repeat(5 - score);

const words = {
  ja: {
    title: (persona: string | null) =>
      `*ロールプレイ終了：スコアカード*${persona ? `（相手：${persona}）` : ''}`,
    strengths: '*良かった点*',
    improvements: '*改善点*',
    nextActions: '*次に試すこと*',
    summary: '*総評*',
    again: 'もう一度練習するときは「ロールプレイ: 相手の人物像」と送ってください。',
  },
  en: {
    title: (persona: string | null) =>
      `*Roleplay finished: scorecard*${persona ? ` (buyer: ${persona})` : ''}`,
    strengths: '*What went well*',
    improvements: '*What to improve*',
    nextActions: '*Try next time*',
    summary: '*Summary*',
    again: 'To practise again, send "roleplay: <the buyer you want>".',
  },
} as const;

/** The scorecard the rep sees when a roleplay ends: the rubric as stars, then the feedback. */
export const renderScorecard = (
  insight: InsightOutput,
  rubric: Pick<Rubric, 'skills'>,
  language: Language,
  persona: string | null,
): string => {
  const w = words[language];
  const sep = language === 'ja' ? '：' : ': ';
  const lines = [
    w.title(persona),
    ...rubric.skills.map(({ key, label }) => {
      const score = insight.scores[key] ?? 1;
      return `• ${label[language]}${sep}${stars(score)} ${score}/5`;
    }),
  ];
  const list = (heading: string, items: readonly string[]) => {
    if (items.length > 0) lines.push('', heading, ...items.map((item) => `• ${item}`));
  };
  list(w.strengths, insight.strengths);
  list(w.improvements, insight.improvements);
  list(w.nextActions, insight.nextActions);
  lines.push('', w.summary, insight.summary, '', w.again);
  return lines.join('\n');
};
