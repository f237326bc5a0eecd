import type { CommandOf } from '../../schemas/commands.ts';

/**
 * What the rep asks for with a message, independent of the edge (Slack, CLI):
 * - start a roleplay: 「ロールプレイ: 価格に厳しい購買担当」, 「ロープレ 情シスの課長」, 「ロールプレイを始めたい」,
 *   "roleplay: skeptical CFO", "role-play with a busy VP", "/roleplay skeptical CFO";
 * - end the roleplay (meaningful inside a roleplay session only): 「終了」, 「ロールプレイ終了」,
 *   「ロープレを終わります」, "end roleplay", "end", "/end";
 * - anything else is a message for the coach (or for the buyer, inside a roleplay).
 */
export type UserIntent =
  | { kind: 'message' }
  | { kind: 'start_roleplay'; persona: string | null }
  | { kind: 'end_roleplay' };

const maxPersonaLength = 200;

// Slack puts the bot's mention first in channel messages: `<@U123> ロールプレイ: …`.
const leadingMentions = /^(?:\s*<@[A-Z0-9]+(?:\|[^>]*)?>)+/;

const roleplayJa = '(?:ロールプレイ(?:ング)?|ロープレ)';
const startJa = new RegExp(
  `^[/／]?${roleplayJa}(?:を?(?:開始|始め(?:ます|たい(?:です)?|て(?:ください)?)?|スタート|したい(?:です)?|お願い(?:します)?|やりたい(?:です)?|練習))?[。！!]?` +
    '(?:\\s*[:：]\\s*(?<colon>[\\s\\S]*)|\\s+(?<spaced>[\\s\\S]+)|)$',
  'u',
);
// English needs a colon, "with"/"as", or the slash form: "roleplay is useful?" is a question.
const startEn =
  /^(?:\/role-?play\b\s*(?<slash>[\s\S]*)|(?:let'?s\s+)?role[- ]?play(?:\s*:\s*(?<colon>[\s\S]*)|\s+(?:with|as|against)\s+(?<spaced>[\s\S]+)|\s*[.!]?))$/iu;

const endJa = new RegExp(
  `^[/／]?(?:${roleplayJa}\\s*(?:を|は)?\\s*)?(?:終了|終わり|おわり|終わる|終わります|終わりにします|終了します|やめる|やめます|ストップ)(?:で(?:す|お願いします))?[。！!]?$`,
  'u',
);
const endEn = /^\/?(?:end|stop|finish|quit)(?:\s+(?:the\s+)?role[- ]?play(?:ing)?)?[.!]?$/iu;

const cleanPersona = (raw: string | undefined): string | null => {
  const persona = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (persona === '') return null;
  return Array.from(persona).slice(0, maxPersonaLength).join('');
};

export const parseUserIntent = (text: string): UserIntent => {
  const line = text.replace(leadingMentions, '').trim();
  const start = startJa.exec(line) ?? startEn.exec(line);
  if (start) {
    const groups = start.groups ?? {};
    return { kind: 'start_roleplay', persona: cleanPersona(groups.colon ?? groups.spaced ?? groups.slash) };
  }
  if (endJa.test(line) || endEn.test(line)) return { kind: 'end_roleplay' };
  return { kind: 'message' };
};

/**
 * The `startMode` / `persona` of a `ReceiveUserMessage` for this text: what the Slack edge and
 * `salesai chat` add to the command they build.
 */
export const sessionModeFields = (
  text: string,
): Pick<CommandOf<'ReceiveUserMessage'>, 'startMode' | 'persona'> => {
  const intent = parseUserIntent(text);
  if (intent.kind !== 'start_roleplay') return {};
  return intent.persona === null
    ? { startMode: 'roleplay' }
    : { startMode: 'roleplay', persona: intent.persona };
};
