import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../schemas/logger.ts';
import type { Language } from '../../write/agent/language.ts';

/**
 * Who a Slack user is to this workspace: a full member, a guest (multi- or single-channel,
 * `is_restricted` / `is_ultra_restricted`), or an external user from another organisation in a
 * Slack Connect channel (`is_stranger`, or a home team that is neither ours nor our org's).
 */
export type Membership = 'member' | 'guest' | 'external';

export type SlackUser = { language: Language; membership: Membership };

export type UserDirectory = {
  /** The user from users.info (cached an hour); null when Slack did not answer in time. */
  lookUp: (userId: string) => Promise<SlackUser | null>;
  /** Drops what is kept of a person (forget-user). */
  forget: (userId: string) => void;
};

const ttlMs = 60 * 60_000;
const maxEntries = 5000;

/** Slack's locale (`ja-JP`, `en-US`, …) as the language we answer in: English for English, else Japanese. */
export const languageOfLocale = (locale: string | undefined): Language =>
  locale?.toLowerCase().startsWith('en') ? 'en' : 'ja';

type UserInfo = {
  locale?: string;
  team_id?: string;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  enterprise_user?: unknown;
};

const membershipOf = (user: UserInfo, ownTeamId: string | undefined): Membership => {
  if (user.is_stranger) return 'external';
  if (user.is_restricted || user.is_ultra_restricted) return 'guest';
  // Another workspace of the same Enterprise Grid org is not external.
  if (ownTeamId && user.team_id && user.team_id !== ownTeamId && !user.enterprise_user) return 'external';
  return 'member';
};

/**
 * One users.info per person and hour, for both what language to answer in and what they may
 * reach. A slow or failing lookup answers null at once rather than hold up an acknowledgement.
 */
export const createUserDirectory = (
  client: WebClient,
  logger: Logger,
  ownTeamId: () => Promise<string | undefined>,
  timeoutMs = 1200,
): UserDirectory => {
  const cache = new Map<string, { user: SlackUser; at: number }>();
  return {
    forget: (userId) => {
      cache.delete(userId);
    },
    lookUp: async (userId) => {
      const hit = cache.get(userId);
      if (hit && Date.now() - hit.at < ttlMs) return hit.user;
      let timer: NodeJS.Timeout | undefined;
      try {
        const [info, teamId] = await Promise.race([
          Promise.all([client.users.info({ user: userId, include_locale: true }), ownTeamId()]),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`users.info took over ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        const raw = (info.user ?? {}) as UserInfo;
        const user: SlackUser = {
          language: languageOfLocale(raw.locale),
          membership: membershipOf(raw, teamId),
        };
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(userId, { user, at: Date.now() });
        return user;
      } catch (error) {
        logger.debug({ err: error, userId }, 'slack: user unknown (users.info failed or was slow)');
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
