import { neutralizePings } from './pings.ts';

/**
 * The coach writes Markdown, but its prompt asks for Slack's conventions (`*太字*`, bullets), and
 * models mix both. These functions turn that text into what each Slack surface renders:
 * mrkdwn for `text` and section blocks, standard Markdown for the streaming methods.
 */

const zeroWidthSpace = '\u200B';
const placeholderStart = '\uE000';
const placeholderEnd = '\uE001';
const placeholderPattern = /\uE000(\d+)\uE001/g;

/** Slack only honours `*`, `_`, `~` next to spaces or punctuation; Japanese has neither, so fence them. */
const needsFence = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// `**x**` and `__x__` are bold in Markdown; a single `*x*` is what the prompt asks for as bold.
const boldPattern =
  /\*\*(?=\S)([^\n]+?)(?<=\S)\*\*|__(?=\S)([^\n]+?)(?<=\S)__|(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)/g;
const strikePattern = /~~(?=\S)([^\n]+?)(?<=\S)~~/g;

const fenced = (marker: string, inner: string, before: string | undefined, after: string | undefined) =>
  `${needsFence(before) ? zeroWidthSpace : ''}${marker}${inner}${marker}${needsFence(after) ? zeroWidthSpace : ''}`;

const convertInline = (line: string): string => {
  const kept: string[] = [];
  const keep = (text: string) => {
    kept.push(text);
    return `${placeholderStart}${kept.length - 1}${placeholderEnd}`;
  };
  let out = line
    // Inline code stays literal (escaped: Slack still reads &, < and > in it).
    .replace(/`([^`\n]+)`/g, (_m, code: string) => keep(`\`${escapeMrkdwn(code)}\``))
    // Slack's own links and channel links are already mrkdwn (pings were neutralised before).
    .replace(/<(?:https?:\/\/|mailto:|#)[^>\s]*>/g, (token) => keep(token))
    .replace(/!?\[([^\]\n]+)\]\((\S+?)\)/g, (_m, label: string, url: string) =>
      keep(`<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`),
    );
  out = escapeMrkdwn(out);
  out = out.replace(boldPattern, (match, a?: string, b?: string, c?: string, ...rest: unknown[]) => {
    const offset = rest[0] as number;
    const whole = rest[1] as string;
    const inner = (a ?? b ?? c ?? '').replace(/\*\*/g, '');
    return fenced('*', inner, whole[offset - 1], whole[offset + match.length]);
  });
  out = out.replace(strikePattern, (match, inner: string, offset: number, whole: string) =>
    fenced('~', inner, whole[offset - 1], whole[offset + match.length]),
  );
  return out.replace(placeholderPattern, (_m, i: string) => kept[Number(i)] ?? '');
};

const convertLine = (line: string): string => {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const inner = convertInline((heading[1] ?? '').replace(/\*\*|__/g, ''));
    return inner.startsWith('*') ? inner : `*${inner.replace(/^\*|\*$/g, '')}*`;
  }
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return '──────────';
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}• ${convertInline(bullet[2] ?? '')}`;
  const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
  if (quote) return `> ${convertInline(quote[1] ?? '')}`;
  return convertInline(line);
};

/** Markdown (or the Slack-flavoured Markdown the coach writes) as Slack mrkdwn, notifying no one. */
export const markdownToMrkdwn = (markdown: string): string => {
  let inCode = false;
  return neutralizePings(markdown)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inCode = !inCode;
        // Slack shows the language tag as text, so only the fence is kept.
        return '```';
      }
      return inCode ? escapeMrkdwn(line) : convertLine(line);
    })
    .join('\n');
};

/**
 * One complete line of the coach's text as standard Markdown for `chat.startStream` /
 * `appendStream` (`markdown_text`): a single `*x*` there would be italic, but the coach meant bold.
 */
export const toStreamMarkdownLine = (line: string): string =>
  neutralizePings(line).replace(/(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)/g, '**$1**');

/** Plain text for places that show no formatting (notification text, modal titles, button labels). */
export const truncate = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
};
