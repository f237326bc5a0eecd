import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn, toStreamMarkdownLine, truncate } from '../../slack-edge/text/mrkdwn.ts';

const zw = '\u200B';

describe('Markdown to Slack mrkdwn', () => {
  it('turns Markdown bold, headings, links, strike and bullets into mrkdwn', () => {
    expect(markdownToMrkdwn('**Next steps**')).toBe('*Next steps*');
    expect(markdownToMrkdwn('## Summary ##')).toBe('*Summary*');
    expect(markdownToMrkdwn('see [the playbook](https://example.com/a?b=1)')).toBe(
      'see <https://example.com/a?b=1|the playbook>',
    );
    expect(markdownToMrkdwn('~~old~~ new')).toBe('~old~ new');
    expect(markdownToMrkdwn('- one\n* two\n  + nested')).toBe('• one\n• two\n  • nested');
    expect(markdownToMrkdwn('> quoted **bit**')).toBe('> quoted *bit*');
  });

  it('keeps the single-star bold the coaching prompt asks for, and fences markers inside Japanese text', () => {
    expect(markdownToMrkdwn('*次の一手*')).toBe('*次の一手*');
    expect(markdownToMrkdwn('価格は**重要**です')).toBe(`価格は${zw}*重要*${zw}です`);
    expect(markdownToMrkdwn('*伸ばしたいスキル（提案）*：具体的に')).toBe(
      '*伸ばしたいスキル（提案）*：具体的に',
    );
  });

  it('escapes &, < and > and keeps links and channel links, but never a mention (it would ping)', () => {
    expect(markdownToMrkdwn('A & B <script> <@U123> <https://x.y|x> <#C123>')).toBe(
      `A &amp; B &lt;script&gt; @${zw}U123 <https://x.y|x> <#C123>`,
    );
  });

  it('leaves code alone (escaped), drops the language tag of a fence', () => {
    expect(markdownToMrkdwn('use `**not bold**` here')).toBe('use `**not bold**` here');
    expect(markdownToMrkdwn('```ts\nconst a = b < c && **d**;\n```')).toBe(
      '```\nconst a = b &lt; c &amp;&amp; **d**;\n```',
    );
  });

  it('does not mistake arithmetic or lone stars for emphasis', () => {
    expect(markdownToMrkdwn('2 * 3 * 4')).toBe('2 * 3 * 4');
    expect(markdownToMrkdwn('a ** b')).toBe('a ** b');
  });

  it('gives the streaming methods standard Markdown for a line', () => {
    expect(toStreamMarkdownLine('*次の一手*')).toBe('**次の一手**');
    expect(toStreamMarkdownLine('**already**')).toBe('**already**');
    expect(toStreamMarkdownLine('2 * 3 * 4')).toBe('2 * 3 * 4');
  });

  it('truncates by characters, never inside a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('short', 10)).toBe('short');
  });
});
