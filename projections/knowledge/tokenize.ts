import { normalizeText } from './normalize.ts';
import { stemEnglish } from './stem.ts';
import { englishStopwords, honorificPrefixes, particles } from './stopwords.ts';

/** A search term and the original characters it came from (UTF-16 offsets, end exclusive). */
export type Token = { term: string; start: number; end: number };

type Script = 'han' | 'hiragana' | 'katakana';

const word = /[\p{Script=Latin}\p{Nd}]+(?:[.,]\d+)*/uy;
const japanese = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}々〆ー]+/uy;

const scriptOf = (char: string): Script =>
  /[\p{Script=Han}々〆ヶ]/u.test(char) ? 'han' : /\p{Script=Hiragana}/u.test(char) ? 'hiragana' : 'katakana';

const latinTerm = (raw: string): string | null => {
  if (/^\d/.test(raw)) return raw.replace(/,/g, '');
  if (englishStopwords.has(raw)) return null;
  return /^\p{L}+$/u.test(raw) ? stemEnglish(raw) : raw;
};

/**
 * Japanese has no spaces, so a run of it becomes overlapping character bigrams, the usual
 * dictionary-free index: kanji bigrams (a lone kanji as itself), each katakana word whole and
 * as bigrams, okurigana bigrams (高い, 引き) and honorific ones (お礼). Hiragana on their own are
 * particles and inflections, which match everywhere, so they add no terms.
 */
const japaneseTerms = (chars: readonly string[], emit: (term: string, from: number, to: number) => void) => {
  const scripts = chars.map(scriptOf);
  const okurigana = (j: number) =>
    scripts[j] === 'han' && scripts[j + 1] === 'hiragana' && !particles.has(chars[j + 1]!);
  let segmentStart = 0;
  for (let i = 0; i <= chars.length; i++) {
    const script = scripts[i];
    if (i < chars.length && script === scripts[segmentStart]) continue;
    const kind = scripts[segmentStart];
    const length = i - segmentStart;
    if (kind === 'katakana' || kind === 'han') {
      if (length === 1 && kind === 'han' && !okurigana(i - 1)) emit(chars[segmentStart]!, segmentStart, i);
      if (length >= 3 && kind === 'katakana') emit(chars.slice(segmentStart, i).join(''), segmentStart, i);
      for (let j = segmentStart; j + 1 < i; j++) emit(chars[j]! + chars[j + 1]!, j, j + 2);
    }
    segmentStart = i;
  }
  for (let j = 0; j + 1 < chars.length; j++) {
    const honorific =
      scripts[j] === 'hiragana' && scripts[j + 1] === 'han' && honorificPrefixes.has(chars[j]!);
    if (okurigana(j) || honorific) emit(chars[j]! + chars[j + 1]!, j, j + 2);
  }
};

/** Search terms of a text, in order of appearance, with their place in the original text. */
export const tokenizeWithOffsets = (original: string): Token[] => {
  const { text, starts, ends } = normalizeText(original);
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    word.lastIndex = i;
    const latin = word.exec(text);
    if (latin) {
      const term = latinTerm(latin[0]);
      const end = i + latin[0].length;
      if (term) tokens.push({ term, start: starts[i]!, end: ends[end - 1]! });
      i = end;
      continue;
    }
    japanese.lastIndex = i;
    const run = japanese.exec(text);
    if (run) {
      // Code units of each character, so that offsets survive characters outside the BMP (𠮷).
      const chars = [...run[0]];
      const unitStart: number[] = [];
      let unit = i;
      for (const char of chars) {
        unitStart.push(unit);
        unit += char.length;
      }
      unitStart.push(unit);
      const terms: Token[] = [];
      japaneseTerms(chars, (term, from, to) =>
        terms.push({ term, start: starts[unitStart[from]!]!, end: ends[unitStart[to]! - 1]! }),
      );
      tokens.push(...terms.sort((a, b) => a.start - b.start || a.end - b.end));
      i = unit;
      continue;
    }
    i += 1;
  }
  return tokens;
};

export const tokenize = (text: string): string[] => tokenizeWithOffsets(text).map((t) => t.term);
