import { describe, expect, it } from 'vitest';
import { estimateTokens, truncateToTokens } from './tokens.ts';

describe('token estimate', () => {
  it('counts a Japanese character as one token and four other characters as one', () => {
    expect(estimateTokens('価格が高い')).toBe(5);
    expect(estimateTokens('price')).toBe(2);
    expect(estimateTokens('BANTの確認')).toBe(4);
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('「高い」、。')).toBe(6);
  });

  it('cuts a text to a budget, keeping its beginning and marking the cut', () => {
    expect(truncateToTokens('短い', 10)).toBe('短い');
    const cut = truncateToTokens('あ'.repeat(100), 10);
    expect(cut).toBe(`${'あ'.repeat(9)}…`);
    expect(estimateTokens(cut)).toBeLessThanOrEqual(10);
  });
});
