import { describe, expect, it } from 'vitest';
import { stemEnglish } from './stem.ts';
import { tokenize, tokenizeWithOffsets } from './tokenize.ts';

describe('tokenize', () => {
  it('splits Japanese without spaces into kanji and katakana bigrams, leaving particles out', () => {
    const terms = tokenize('値引き交渉のコツを教えてください');
    expect(terms).toEqual(expect.arrayContaining(['値引', '引き', '交渉', 'コツ', '教え']));
    expect(terms).not.toContain('の');
    expect(terms).not.toContain('てく');
    expect(terms).not.toContain('渉の');
  });

  it('keeps a katakana word whole as well as in bigrams, so part of a compound still matches', () => {
    const terms = ['アイスブレイク', 'アイ', 'イス', 'スブ', 'ブレ', 'レイ', 'イク'];
    expect(tokenize('アイスブレイク').sort()).toEqual(terms.sort());
    expect(tokenize('ブレイク')).toEqual(expect.arrayContaining(['ブレ', 'レイ', 'イク']));
  });

  it('gives a lone kanji as itself, or with its okurigana, and joins honorific prefixes', () => {
    expect(tokenize('上に確認')).toEqual(['上', '確認']);
    expect(tokenize('高いと言われた')).toEqual(['高い', '言わ']);
    expect(tokenize('お礼のメール')).toEqual(expect.arrayContaining(['お礼', 'メール']));
  });

  it('handles mixed Japanese and English', () => {
    expect(tokenize('BANTの聞き方')).toEqual(['bant', '聞き', '方']);
    expect(tokenize('next stepの合意')).toEqual(['next', 'step', '合意']);
    expect(tokenize('demoで気をつけること')).toEqual(expect.arrayContaining(['demo', '気']));
  });

  it('folds full-width Latin and digits and half-width katakana', () => {
    expect(tokenize('ＲＯＩの出し方')).toEqual(tokenize('ROIの出し方'));
    expect(tokenize('月４０時間')).toEqual(['月', '40', '時間']);
    expect(tokenize('ﾃﾞﾓ')).toEqual(['デモ']);
    expect(tokenize('40,000円')).toEqual(['40000', '円']);
  });

  it('maps each term back to the characters of the original text', () => {
    const text = 'ＲＯＩと費用対効果';
    for (const token of tokenizeWithOffsets(text)) {
      expect(text.slice(token.start, token.end).normalize('NFKC').toLowerCase()).toBe(token.term);
    }
    const [roi] = tokenizeWithOffsets(text);
    expect(roi).toEqual({ term: 'roi', start: 0, end: 3 });
  });

  it('stems English plurals, -ing and -ed, and drops stop words', () => {
    expect(tokenize('how to handle price objections')).toEqual(['handl', 'pric', 'objection']);
    expect(new Set(['leave', 'leaves', 'leaving'].map(stemEnglish))).toEqual(new Set(['leav']));
    expect(new Set(['plan', 'plans', 'planned', 'planning'].map(stemEnglish))).toEqual(new Set(['plan']));
    expect(new Set(['reply', 'replies', 'replied'].map(stemEnglish))).toEqual(new Set(['reply']));
    expect(stemEnglish('process')).toBe('process');
    expect(stemEnglish('status')).toBe('status');
    expect(stemEnglish('meetings')).toBe('meet');
    expect(stemEnglish('calling')).toBe('call');
    expect(tokenize('the and of')).toEqual([]);
  });

  it('finds nothing searchable in punctuation or particles alone', () => {
    expect(tokenize('「」、。！？ ・')).toEqual([]);
    expect(tokenize('のに')).toEqual([]);
  });
});
