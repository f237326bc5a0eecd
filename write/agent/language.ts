/** The languages the coach answers in: Japanese first, English when the rep writes English. */
export type Language = 'ja' | 'en';

const japaneseChar = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/gu;
const latinLetter = /[A-Za-z]/g;

/**
 * The language a text is written in. Japanese sentences often carry English terms (「BANTのBudget」)
 * and English ones Japanese names (“the 山田商事 deal”), so neither script alone decides: one
 * Japanese character weighs about as much as three Latin letters (roughly a word each). Text
 * with too little of either (「OK」, 「👍」) keeps `fallback`, usually the session's language.
 */
export const detectLanguage = (text: string, fallback: Language = 'ja'): Language => {
  const japanese = text.match(japaneseChar)?.length ?? 0;
  const latin = text.match(latinLetter)?.length ?? 0;
  if (japanese === 0 && latin < 4) return fallback;
  return japanese * 3 >= latin ? 'ja' : 'en';
};
