import type { WebClient } from '@slack/web-api';
import type { Logger } from '../schemas/logger.ts';
import type { Language } from '../write/agent/language.ts';

export type LanguageOf = (userId: string) => Promise<Language>;

const ttlMs = 60 * 60_000;
const maxEntries = 5000;

/** Slack's locale (`ja-JP`, `en-US`, …) as the language we answer in: English for English, else Japanese. */
export const languageOfLocale = (locale: string | undefined): Language =>
  locale?.toLowerCase().startsWith('en') ? 'en' : 'ja';

/**
 * The language of a rep from their Slack locale (users.info), for answers that have no text of
 * theirs to go by (Home, /ai_history). Cached for an hour; a slow or failing lookup answers
 * Japanese, the default, rather than hold up an acknowledgement.
 */
export const createLanguageOf = (client: WebClient, logger: Logger, timeoutMs = 1200): LanguageOf => {
  const cache = new Map<string, { language: Language; at: number }>();
  return async (userId) => {
    const hit = cache.get(userId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.language;
    let timer: NodeJS.Timeout | undefined;
    try {
      const info = await Promise.race([
        client.users.info({ user: userId, include_locale: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`users.info took over ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      const language = languageOfLocale(info.user?.locale);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(userId, { language, at: Date.now() });
      return language;
    } catch (error) {
      logger.debug({ err: error, userId }, 'slack: locale unknown; answering in Japanese');
      return 'ja';
    } finally {
      clearTimeout(timer);
    }
  };
};
