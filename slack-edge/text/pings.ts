/**
 * Model output must never notify anyone: `<!channel>`, `<!here>`, `<!everyone>`, user-group
 * mentions (`<!subteam^…>`) and user mentions (`<@U…>`) are Slack's pinging markup. They are
 * shown as readable text (`@here`, `@name`) with a zero-width space after the `@`, which Slack
 * neither links nor notifies; half a token (`<!here` without its `>`) is broken the same way.
 */
const zeroWidthSpace = '\u200B';

const tokenPattern = /<([!@])([^>\n]*)>/g;
const bareBroadcast = /@(channel|here|everyone)\b/gi;

const labelOf = (kind: string, body: string): string => {
  const [target = '', ...label] = body.split('|');
  const shown = label.join('|').trim();
  // `<!date^…|fallback>` only formats a date: its fallback text is what it means.
  if (kind === '!' && target.startsWith('date^')) return shown;
  const name = shown !== '' ? shown : kind === '!' ? (target.split('^')[0] ?? '') : target;
  return `@${zeroWidthSpace}${name.replace(/^@+/, '')}`;
};

export const neutralizePings = (text: string): string =>
  text
    .replace(tokenPattern, (_token, kind: string, body: string) => labelOf(kind, body))
    .replace(/<(?=[!@])/g, `<${zeroWidthSpace}`)
    .replace(bareBroadcast, `@${zeroWidthSpace}$1`);
