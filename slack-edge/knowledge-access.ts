import type { KnowledgeAccess } from '../write/agent/ports.ts';
import type { UserDirectory } from './web/user-directory.ts';

export type { KnowledgeAccess } from '../write/agent/ports.ts';

/**
 * The knowledge base is internal: guests and external (Slack Connect) users are refused it
 * unless ALLOW_GUEST_KNOWLEDGE says otherwise (then everyone is). Someone Slack could not tell
 * us about (users.info failed) is refused too, until the next lookup succeeds.
 */
export const knowledgeAccess =
  (directory: UserDirectory, allowGuests: boolean): KnowledgeAccess =>
  async (userId) => {
    if (allowGuests) return true;
    return (await directory.lookUp(userId))?.membership === 'member';
  };
