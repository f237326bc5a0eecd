import { describe, expect, it } from 'vitest';
import { splitText } from '../../slack-edge/text/split.ts';

describe('splitting long replies for Slack', () => {
  it('keeps a short text whole', () => {
    expect(splitText('短い回答です。', 3000)).toEqual(['短い回答です。']);
  });

  it('splits at paragraphs first, every piece within the limit, nothing lost', () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, i) => `段落${i}：${'営業の基本を確認します。'.repeat(30)}`,
    );
    const text = paragraphs.join('\n\n');
    const pieces = splitText(text, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(3000);
    expect(pieces.join('\n\n')).toBe(text);
  });

  it('cuts a paragraph without line breaks at a sentence end', () => {
    const text = 'これは一文です。'.repeat(1000);
    const pieces = splitText(text, 500);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(500);
      expect(piece.endsWith('。')).toBe(true);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('never splits a surrogate pair, even with no boundary at all', () => {
    const text = '😀'.repeat(2000);
    const pieces = splitText(text, 333);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(333);
      expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece)).toBe(false);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('closes a code block cut in two and reopens it in the next piece', () => {
    const code = Array.from({ length: 200 }, (_, i) => `line ${i} of the script`).join('\n');
    const pieces = splitText(`Intro\n\`\`\`\n${code}\n\`\`\`\nOutro`, 1000);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(1000);
      expect((piece.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(pieces[1]!.startsWith('```\n')).toBe(true);
  });
});
