import { describe, expect, it } from 'vitest';
import { StreamLines } from '../../slack-edge/presenter/stream-lines.ts';

const feed = (text: string, size: number) => {
  const lines = new StreamLines();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(lines.push(text.slice(i, i + size)));
  out.push(lines.flush());
  return { out: out.filter((s) => s !== ''), lines };
};

describe('streaming the model’s text line by line', () => {
  it('hands out complete lines and sentences, converted, and loses nothing', () => {
    const text = '*次の一手*\n予算の背景を聞きます。次に効果を示します。最後に';
    const { out, lines } = feed(text, 5);
    expect(out.join('')).toBe('**次の一手**\n予算の背景を聞きます。次に効果を示します。最後に');
    expect(out.length).toBeGreaterThan(2);
    expect(lines.source).toBe(text.length);
  });

  it('holds back a sentence that would cut open emphasis', () => {
    const lines = new StreamLines();
    expect(lines.push('これは*大事。')).toBe('');
    expect(lines.push('です*。')).toBe('これは**大事。です**。');
  });

  it('cuts English at sentence ends followed by a space only', () => {
    const lines = new StreamLines();
    expect(lines.push('Ask about the budget. Then v1.2 ')).toBe('Ask about the budget.');
  });
});
