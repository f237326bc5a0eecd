import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../schemas/logger.ts';
import type { Language } from '../../write/agent/language.ts';

/**
 * Who a Slack user is to this workspace: a full member, a guest (multi- or single-channel,
 * `is_restricted` / `is_ultra_restricted`), or an external user from another organisation in a
 * Slack Connect channel (`is_stranger`, or a home team that is neither ours nor our org's).
 */
export type Membership = 'member' | 'guest' | 'external';

export type SlackUser = {
  language: Language;
  membership: Membership;
  /** The name Slack shows for them (display name, else real name, else handle); null without one. */
  displayName?: string | null;
};

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
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
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

const displayNameOf = (user: UserInfo): string | null =>
  [user.profile?.display_name, user.profile?.real_name, user.real_name, user.name]
    .map((n) => n?.trim())
    .find((n): n is string => !!n) ?? null;

/**
 * Display names of many users at once (a team page): the cached ones at once, the others looked
 * up side by side, each bounded by the directory's timeout; whoever Slack does not name in time
 * is left out (shown as their id), and is cached for the next page once Slack answers.
 */
export const displayNamesFrom =
  (directory: Pick<UserDirectory, 'lookUp'>) =>
  async (userIds: readonly string[]): Promise<ReadonlyMap<string, string>> => {
    const names = new Map<string, string>();
    await Promise.all(
      [...new Set(userIds)].map(async (id) => {
        const name = (await directory.lookUp(id))?.displayName;
        if (name) names.set(id, name);
      }),
    );
    return names;
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
  const pending = new Map<string, Promise<SlackUser | null>>();
  return {
    forget: (userId) => {
      cache.delete(userId);
    },
    lookUp: async (userId) => {
      const hit = cache.get(userId);
      if (hit && Date.now() - hit.at < ttlMs) return hit.user;
      // One call for a person however many ask at once (a team page, the Home and a reply).
      const asked = pending.get(userId);
      if (asked) return asked;
      const lookup = ask(userId).finally(() => pending.delete(userId));
      pending.set(userId, lookup);
      return lookup;
    },
  };
  async function ask(userId: string): Promise<SlackUser | null> {
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
        displayName: displayNameOf(raw),
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
  }
};
