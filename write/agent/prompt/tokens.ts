/**
 * A token estimate that needs no tokenizer: about 1 token per Japanese character (kana, kanji,
 * full-width forms) and 1 token per 4 other characters, plus a few tokens of overhead per chat
 * message. Current BPE tokenizers spend roughly 0.7–1.3 tokens per Japanese character, so this
 * errs on the generous side for Japanese, which keeps prompts inside their budget.
 */

const wideChar = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

export const messageOverheadTokens = 4;

export const estimateTokens = (text: string): number => {
  let wide = 0;
  let other = 0;
  for (const char of text) {
    if (wideChar.test(char)) wide++;
    else other++;
  }
  return wide + Math.ceil(other / 4);
};

/** The longest beginning of `text` that fits `budget` tokens, marked when something was cut. */
export const truncateToTokens = (text: string, budget: number, marker = '…'): string => {
  if (estimateTokens(text) <= budget) return text;
  const chars = Array.from(text);
  // Binary search on the cut: estimateTokens is monotonic in the prefix length.
  let low = 0;
  let high = chars.length;
  const room = Math.max(0, budget - estimateTokens(marker));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(chars.slice(0, mid).join('')) <= room) low = mid;
    else high = mid - 1;
  }
  return `${chars.slice(0, low).join('').trimEnd()}${marker}`;
};
