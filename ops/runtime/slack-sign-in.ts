import { type SlackSignInSettings, slackRedirectUri } from '../../dashboard/auth/slack/settings.ts';
import type { Env } from '../../schemas/config.ts';
import { workspaceTeamIdFor } from './team-directory.ts';

/** Sign in with Slack on the dashboard, when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and DASHBOARD_URL are set. */
export const slackSignInSettings = (env: Env): SlackSignInSettings | null =>
  env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.DASHBOARD_URL
    ? {
        clientId: env.SLACK_CLIENT_ID,
        clientSecret: env.SLACK_CLIENT_SECRET,
        redirectUri: slackRedirectUri(env.DASHBOARD_URL),
        oidcUrl: env.SLACK_OIDC_URL,
        apiUrl: env.SLACK_API_URL,
        workspaceTeamId: workspaceTeamIdFor(env),
      }
    : null;
