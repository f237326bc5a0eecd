/**
 * A Slack message's text as the rep meant it, for the record and the coach: the bot's own
 * mention removed (it says who is addressed, not what is asked), links shown by their label
 * and URL, other mentions kept readable, and Slack's three escapes undone.
 */
export const slackTextToPlain = (text: string, botUserId?: string): string => {
  let out = text;
  if (botUserId) out = out.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>\\s*`, 'g'), '');
  out = out
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/<mailto:([^|>]+)(?:\|[^>]+)?>/g, '$1')
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_m, name?: string) => name ?? '@group');
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
};

/** Whether the text mentions the user (the bot) anywhere. */
export const mentions = (text: string, userId: string): boolean =>
  new RegExp(`<@${userId}(?:\\||>)`).test(text);

/** A Slack message ts (`1531420618.000200`) as the instant it names. */
export const tsToIso = (ts: string): string => {
  const [seconds, micros = '0'] = ts.split('.');
  return new Date(
    Number(seconds) * 1000 + Math.floor(Number(micros.padEnd(6, '0').slice(0, 6)) / 1000),
  ).toISOString();
};
