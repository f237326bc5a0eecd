/** What Sign in with Slack needs (ops/runtime builds it from the environment). */
export type SlackSignInSettings = {
  /** SLACK_CLIENT_ID and SLACK_CLIENT_SECRET of the Slack app. */
  clientId: string;
  clientSecret: string;
  /** Where Slack sends the browser back: DASHBOARD_URL + `/sign-in/slack/callback`. */
  redirectUri: string;
  /** SLACK_OIDC_URL: `authorize` and `keys` are under it. */
  oidcUrl: string;
  /** SLACK_API_URL: `openid.connect.token` is a Web API method. */
  apiUrl: string;
  /** The workspace whose members may sign in (SLACK_TEAM_ID, else the bot token's from auth.test). */
  workspaceTeamId: () => Promise<string | undefined>;
};

/** The redirect URI under DASHBOARD_URL (`https://host/dashboard` → `https://host/dashboard/sign-in/slack/callback`). */
export const slackRedirectUri = (dashboardUrl: string): string =>
  `${dashboardUrl.replace(/\/+$/, '')}/sign-in/slack/callback`;

export const slackCallbackPath = '/dashboard/sign-in/slack/callback';
export const slackStartPath = '/dashboard/sign-in/slack';
