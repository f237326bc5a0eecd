/**
 * Text normalised for matching, with a map back to the original: NFKC (full-width Latin and
 * digits to half-width, half-width katakana to full-width) and lower case. Offsets let a
 * snippet mark the original characters a term came from.
 */
export type NormalizedText = {
  text: string;
  /** For each UTF-16 unit of `text`, where its source cluster starts in the original. */
  starts: number[];
  /** For each UTF-16 unit of `text`, where its source cluster ends in the original. */
  ends: number[];
};

// A base character with the marks that NFKC may fold into it (ｶﾞ → ガ, e + ◌́ → é).
const cluster = /.[\p{M}\uFF9E\uFF9F]*/gsu;

export const normalizeText = (original: string): NormalizedText => {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of original.matchAll(cluster)) {
    const start = match.index;
    const end = start + match[0].length;
    const normalized = match[0].normalize('NFKC').toLowerCase();
    text += normalized;
    for (let i = 0; i < normalized.length; i++) {
      starts.push(start);
      ends.push(end);
    }
  }
  return { text, starts, ends };
};
