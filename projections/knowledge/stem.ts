/**
 * A light English stemmer: plurals, -ing and -ed, and a final silent e, so that "leave",
 * "leaves" and "leaving" meet. Stems are internal search terms, never shown to people.
 */
const vowel = /[aeiouy]/;
const undoubled = /([b-df-hj-km-np-rtv-xz])\1$/;

const stripPlural = (word: string): string => {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh|zz)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
};

const stripVerbal = (word: string): string => {
  if (word.endsWith('ied') && word.length > 4) return `${word.slice(0, -3)}y`;
  for (const suffix of ['ing', 'ed']) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    // "bring", "red", "need": only strip when a syllable is left.
    if (stem.length < 3 || !vowel.test(stem)) return word;
    return undoubled.test(stem) && !/(?:ll|ss|zz)$/.test(stem) ? stem.slice(0, -1) : stem;
  }
  return word;
};

export const stemEnglish = (word: string): string => {
  if (word.length <= 3) return word;
  const stem = stripVerbal(stripPlural(word));
  return stem.length > 3 && stem.endsWith('e') && !stem.endsWith('ee') ? stem.slice(0, -1) : stem;
};
