import { skillLabels } from '../../../../schemas/skills.ts';
import type { ChatRequest } from '../port.ts';
import type { AdviceBook } from './advice.ts';
import { adviceEn } from './advice-en.ts';
import { adviceJa } from './advice-ja.ts';
import { citationLines, phrasesFromDocuments } from './knowledge.ts';
import { detectSituation, type SituationKey } from './situations.ts';
import { detectLanguage, isJapanese, type Language, lastUserMessage } from './text.ts';

export const adviceBooks: Record<Language, AdviceBook> = { ja: adviceJa, en: adviceEn };

const headings = {
  ja: {
    steps: '*次の一手*',
    knowledge: '*ナレッジベースより*',
    tip: (skill: string, tip: string) => `*伸ばしたいスキル（${skill}）*：${tip}`,
    sources: '参考：',
  },
  en: {
    steps: '*Next steps*',
    knowledge: '*From the knowledge base*',
    tip: (skill: string, tip: string) => `*Skill to grow (${skill})*: ${tip}`,
    sources: 'Sources:',
  },
} as const;

/**
 * The situation of the rep's last message; when its words match nothing, the title of the best
 * retrieved document (retrieval may know a synonym the keyword tables do not).
 */
export const situationOf = (request: ChatRequest): SituationKey => {
  const fromMessage = detectSituation(lastUserMessage(request.messages));
  if (fromMessage !== 'general') return fromMessage;
  const top = request.hints?.documents[0];
  const fromDocument = top ? detectSituation(top.title) : 'general';
  return fromDocument === 'greeting' ? 'general' : fromDocument;
};

/** The coach's answer: a read, 3–4 steps, phrases from the top documents, a tip, one question, sources. */
export const coachingReply = (request: ChatRequest): string => {
  const message = lastUserMessage(request.messages);
  const language = request.hints?.language ?? detectLanguage(message);
  const book = adviceBooks[language];
  const h = headings[language];
  const advice = book.situations[situationOf(request)];
  const documents = request.hints?.documents ?? [];

  const lines = [advice.read, '', h.steps, ...advice.steps.map((step, i) => `${i + 1}. ${step}`)];
  const phrases = phrasesFromDocuments(documents, language, lines.join('\n'));
  if (phrases.length > 0) {
    lines.push('', h.knowledge);
    for (const p of phrases) {
      const text = p.quoted ? (isJapanese(p.phrase) ? `「${p.phrase}」` : `"${p.phrase}"`) : p.phrase;
      lines.push(`• ${text} [${p.citation}]`);
    }
  }
  const weakest = request.hints?.weakestSkills[0];
  if (weakest) lines.push('', h.tip(skillLabels[weakest][language], book.skillTips[weakest]));
  lines.push('', `❓ ${advice.question}`);
  if (documents.length > 0) lines.push('', h.sources, ...citationLines(documents));
  return lines.join('\n');
};
