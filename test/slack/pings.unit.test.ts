import { describe, expect, it } from 'vitest';
import { replyPieces } from '../../slack-edge/blocks/reply.ts';
import { StreamLines } from '../../slack-edge/presenter/stream-lines.ts';
import { neutralizePings } from '../../slack-edge/text/pings.ts';

const zw = '\u200B';
const pingMarkup = /<[!@]|(?<!\u200B)@(here|channel|everyone)\b/;

describe('model text notifies no one', () => {
  it('turns broadcasts, user-group and user mentions into plain, readable text', () => {
    expect(neutralizePings('<!channel> <!here> <!everyone>')).toBe(`@${zw}channel @${zw}here @${zw}everyone`);
    expect(neutralizePings('<!subteam^S123|@sales-team> <!subteam^S9>')).toBe(
      `@${zw}sales-team @${zw}subteam`,
    );
    expect(neutralizePings('<@U0ABC> <@W0XYZ|taro>')).toBe(`@${zw}U0ABC @${zw}taro`);
    expect(neutralizePings('<!date^1700000000^{date}|2023-11-14>')).toBe('2023-11-14');
    expect(neutralizePings('bare @here, @Channel and @everyone; mail@example.com')).toBe(
      `bare @${zw}here, @${zw}Channel and @${zw}everyone; mail@example.com`,
    );
  });

  it('breaks half a token too (what a cut stream or a sloppy model leaves)', () => {
    expect(neutralizePings('oops <!here and <@U1')).not.toMatch(pingMarkup);
  });

  it('leaves links, channel links and ordinary text as they are', () => {
    const text = '<https://example.com|資料> と <#C0123|sales> を参照。価格は 10% 引き。';
    expect(neutralizePings(text)).toBe(text);
  });

  it('applies to posted pieces and to streamed Markdown', () => {
    const model = '*要点* <!channel> に共有してください <@U0BOSS>\n- 次は <!subteam^S1|@mgrs> へ\n';
    for (const piece of replyPieces(model)) expect(piece).not.toMatch(pingMarkup);
    const lines = new StreamLines();
    let streamed = '';
    for (const ch of model) streamed += lines.push(ch);
    streamed += lines.flush();
    expect(streamed).toContain('**要点**');
    expect(streamed).not.toMatch(pingMarkup);
  });
});
