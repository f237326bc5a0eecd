import { describe, expect, it } from 'vitest';
import { markdownToPlain } from './plain-text.ts';
import { makeSnippet, snippetToSlackMrkdwn } from './snippet.ts';
import { tokenize } from './tokenize.ts';

const terms = (query: string) => new Set(tokenize(query));

const japanese = markdownToPlain(`## 導入
営業活動では多くの場面で判断が求められます。準備の質が結果を左右します。

## 価格の伝え方
- **価格**を伝える前に、課題と効果を確認します。「高い」と言われたら、何と比べて高いのかを聞きます。値引きは最後の手段です。
- 相手の予算時期も確認しておくと、稟議の準備が早くなります。`);

describe('snippets', () => {
  it('picks the window with the most query terms, starting at a sentence', () => {
    const snippet = makeSnippet(japanese, terms('価格 高い 値引き'));
    expect(snippet.text.startsWith('価格の伝え方')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(121);
    const marked = snippet.highlights.map((h) => snippet.text.slice(h.start, h.end));
    expect(marked).toEqual(expect.arrayContaining(['価格', '高い', '値引き']));
  });

  it('strips Markdown and turns line breaks into spaces', () => {
    const snippet = makeSnippet(japanese, terms('価格'));
    expect(snippet.text).not.toMatch(/[#*\n]/);
  });

  it('cuts long English text between words, with ellipses', () => {
    const filler = 'We always prepare the agenda in advance and confirm who attends the call with us ';
    const text = `${filler.repeat(3)}and then the renewal discussion starts with the budget owner ${filler.repeat(3)}`;
    const snippet = makeSnippet(text, terms('renewal budget'));
    expect(snippet.text).toMatch(/^…\S/);
    expect(snippet.text).toMatch(/\S…$/);
    expect(snippet.text).toContain('renewal discussion');
    const words = snippet.text.replace(/…/g, '').split(' ');
    for (const word of words) expect(text).toMatch(new RegExp(`\\b${word}\\b`));
  });

  it('begins the text when nothing matches', () => {
    const snippet = makeSnippet(japanese, terms('SPIN'));
    expect(snippet.text.startsWith('導入')).toBe(true);
    expect(snippet.highlights).toEqual([]);
  });

  it('renders Slack mrkdwn bold with zero-width spaces, escaping control characters', () => {
    expect(snippetToSlackMrkdwn({ text: '価格<は>*高い*', highlights: [{ start: 0, end: 2 }] })).toBe(
      '\u200B*価格*\u200B&lt;は&gt;＊高い＊',
    );
  });
});
