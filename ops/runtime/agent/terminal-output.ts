import type { Citation } from '../../../schemas/events/index.ts';
import type { Language } from '../../../write/agent/language.ts';
import type { ReplyContext } from '../../../write/agent/ports.ts';

const labels = {
  coaching: { ja: 'コーチ', en: 'Coach' },
  scorecard: { ja: 'コーチ', en: 'Coach' },
  roleplay: { ja: '相手', en: 'Buyer' },
} as const;

export const speakerLabel = (kind: ReplyContext['kind'], language: Language) => `${labels[kind][language]}> `;

/** Sources the reply text does not already list as `[n] Title` (the mock's replies do). */
export const sourceLines = (text: string, citations: readonly Citation[], language: Language): string[] => {
  const missing = citations.filter((c) => !text.includes(c.title));
  if (missing.length === 0) return [];
  return [
    language === 'ja' ? '出典：' : 'Sources:',
    ...missing.map(
      (c) =>
        `  ${c.title}${c.section ? ` › ${c.section}` : ''} (${c.documentId}${c.version ? ` v${c.version}` : ''})`,
    ),
  ];
};
