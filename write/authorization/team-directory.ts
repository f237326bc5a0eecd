import type { Logger } from '../../schemas/logger.ts';
import type { AuthorizationConfig } from './policy.ts';

/** Reads the members of a Slack user group (`usergroups.users.list`). */
export type UserGroupMembers = (groupId: string) => Promise<readonly string[]>;

export type TeamDirectoryOptions = {
  /** MANAGER_USER_IDS and TEAMS. */
  base: AuthorizationConfig;
  /** TEAM_USERGROUPS: manager → user group ids whose members are their team too. */
  userGroups: Readonly<Record<string, readonly string[]>>;
  /** null when Slack is not configured: user groups then add nobody. */
  members: UserGroupMembers | null;
  /** How long a group's members are believed (TEAM_USERGROUPS_TTL). */
  ttlMs: number;
  logger?: Logger;
  now?: () => number;
};

/** The authorization policy's configuration, with user groups resolved (cached). */
export type TeamDirectory = { config: () => Promise<AuthorizationConfig> };

/** A directory of the static configuration only (tests, tools, Slack off). */
export const staticTeamDirectory = (config: AuthorizationConfig): TeamDirectory => ({
  config: async () => config,
});

/**
 * TEAMS plus the members of each manager's Slack user groups. Each group is read at most once
 * per TTL (concurrent callers share the read); when Slack fails, the last members read are kept
 * (a group never read counts as empty), so a Slack outage neither widens nor drops access for
 * longer than the list was already known. The policy functions stay pure over the result.
 */
export const createTeamDirectory = ({
  base,
  userGroups,
  members,
  ttlMs,
  logger,
  now = Date.now,
}: TeamDirectoryOptions): TeamDirectory => {
  const cache = new Map<string, { members: readonly string[]; until: number }>();
  const pending = new Map<string, Promise<readonly string[]>>();
  const groupIds = [...new Set(Object.values(userGroups).flat())];
  if (members === null || groupIds.length === 0) return staticTeamDirectory(base);

  const membersOf = (groupId: string): Promise<readonly string[]> => {
    const cached = cache.get(groupId);
    if (cached && cached.until > now()) return Promise.resolve(cached.members);
    const running = pending.get(groupId);
    if (running) return running;
    const read = members(groupId)
      .then((list) => {
        cache.set(groupId, { members: list, until: now() + ttlMs });
        return list;
      })
      .catch((error: unknown) => {
        logger?.warn({ err: error, groupId }, 'user group members could not be read; using the last known');
        return cached?.members ?? [];
      })
      .finally(() => pending.delete(groupId));
    pending.set(groupId, read);
    return read;
  };

  return {
    config: async () => {
      const resolved = new Map(
        await Promise.all(groupIds.map(async (g) => [g, await membersOf(g)] as const)),
      );
      const teams: Record<string, readonly string[]> = { ...base.teams };
      for (const [manager, groups] of Object.entries(userGroups)) {
        const fromGroups = groups.flatMap((g) => resolved.get(g) ?? []);
        teams[manager] = [...new Set([...(teams[manager] ?? []), ...fromGroups])].filter(
          (u) => u !== manager,
        );
      }
      return { managerUserIds: base.managerUserIds, teams };
    },
  };
};
