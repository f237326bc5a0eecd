import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('language detection', () => {
  it.each([
    ['価格が高いと言われました', 'ja'],
    ['BANTのBudgetをどう聞けばいいですか', 'ja'],
    ['ロールプレイ: skeptical CFO', 'ja'],
    ['The customer said our price is too high. What should I say?', 'en'],
    ['Please help with the 山田商事 deal, they said 高い', 'en'],
    ['roleplay: skeptical CFO', 'en'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it('keeps the fallback when the text says too little', () => {
    expect(detectLanguage('OK', 'en')).toBe('en');
    expect(detectLanguage('OK', 'ja')).toBe('ja');
    expect(detectLanguage('👍 !!', 'en')).toBe('en');
    expect(detectLanguage('')).toBe('ja');
  });
});
