import { WebClient } from '@slack/web-api';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import { authorizationConfigFrom } from '../../write/authorization/policy.ts';
import { createTeamDirectory, type TeamDirectory } from '../../write/authorization/team-directory.ts';

/**
 * Who manages whom for this process: MANAGER_USER_IDS and TEAMS, plus the members of the Slack
 * user groups of TEAM_USERGROUPS (usergroups.users.list with the bot token, cached for
 * TEAM_USERGROUPS_TTL seconds). One per process, shared by the Slack edge, the dashboard and the API.
 */
export const teamDirectoryFor = (env: Env, logger: Logger): TeamDirectory => {
  const client = env.SLACK_BOT_TOKEN
    ? new WebClient(env.SLACK_BOT_TOKEN, {
        slackApiUrl: env.SLACK_API_URL,
        retryConfig: { retries: 1 },
        timeout: 5000,
      })
    : null;
  return createTeamDirectory({
    base: authorizationConfigFrom(env),
    userGroups: env.TEAM_USERGROUPS,
    members: client
      ? async (groupId) => {
          const answer = await client.usergroups.users.list({ usergroup: groupId });
          return answer.users ?? [];
        }
      : null,
    ttlMs: env.TEAM_USERGROUPS_TTL * 1000,
    logger,
  });
};

/**
 * The workspace whose members may sign in to the dashboard with Slack: SLACK_TEAM_ID, else the
 * bot token's workspace (auth.test, asked once and remembered).
 */
export const workspaceTeamIdFor = (env: Env): (() => Promise<string | undefined>) => {
  if (env.SLACK_TEAM_ID) {
    const teamId = env.SLACK_TEAM_ID;
    return async () => teamId;
  }
  if (!env.SLACK_BOT_TOKEN) return async () => undefined;
  const client = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 1 },
  });
  let known: string | undefined;
  return async () => {
    if (known) return known;
    const answer = await client.auth.test();
    known = answer.team_id;
    return known;
  };
};
