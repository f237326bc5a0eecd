import { describe, expect, it } from 'vitest';
import { passagesOf, sectionLabel } from './passages.ts';

describe('passages', () => {
  it('splits Markdown at headings of levels 1 to 3, skipping a bare title', () => {
    const passages = passagesOf('# Guide\n\nIntro line\n\n## A\ntext a\n#### detail\nmore a\n### B\ntext b');
    expect(passages.map((p) => [p.passageNo, p.heading, p.text])).toEqual([
      [1, 'Guide', '# Guide\n\nIntro line'],
      [2, 'A', '## A\ntext a\n#### detail\nmore a'],
      [3, 'B', '### B\ntext b'],
    ]);
    expect(passagesOf('# Only a title\n\n## Section\nbody').map((p) => p.heading)).toEqual(['Section']);
  });

  it('cuts a long section between paragraphs, keeping its heading on every part', () => {
    const paragraph = '営業の準備について説明します。'.repeat(30);
    const passages = passagesOf(`## 準備\n${[paragraph, paragraph, paragraph, paragraph].join('\n\n')}`);
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) {
      expect(p.heading).toBe('準備');
      expect(p.text.length).toBeLessThanOrEqual(1700);
    }
  });

  it('keeps PDF pages and slides numbered, even after an empty one', () => {
    expect(passagesOf('page one\f\fpage three', 'pdf').map((p) => [p.page, p.text])).toEqual([
      [1, 'page one'],
      [3, 'page three'],
    ]);
    expect(
      passagesOf('## Intro\nhello\f## Price\nper seat', 'pptx').map((p) => [p.slide, p.heading]),
    ).toEqual([
      [1, 'Intro'],
      [2, 'Price'],
    ]);
    expect(passagesOf('# not a heading\nin a text file', 'text')).toEqual([
      { passageNo: 1, heading: null, page: null, slide: null, text: '# not a heading\nin a text file' },
    ]);
  });

  it('names a passage by its page, slide or heading', () => {
    expect(sectionLabel({ heading: null, page: 3, slide: null })).toBe('p. 3');
    expect(sectionLabel({ heading: 'Pricing', page: null, slide: 2 })).toBe('slide 2: Pricing');
    expect(sectionLabel({ heading: '価格の伝え方', page: null, slide: null })).toBe('価格の伝え方');
    expect(sectionLabel({ heading: null, page: null, slide: null })).toBeNull();
  });
});
