import type { Language } from '../write/agent/language.ts';
import type { UserDirectory } from './web/user-directory.ts';

export { languageOfLocale } from './web/user-directory.ts';

export type LanguageOf = (userId: string) => Promise<Language>;

/**
 * The language of a rep from their Slack locale, for answers that have no text of theirs to go
 * by (Home, /ai_history). Unknown (a slow or failing lookup): Japanese, the default.
 */
export const languageOfUsers =
  (directory: UserDirectory): LanguageOf =>
  async (userId) =>
    (await directory.lookUp(userId))?.language ?? 'ja';
