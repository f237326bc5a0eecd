import type { Env } from '../schemas/config.ts';

/** How this deployment talks to Slack, from the environment. */
export type SlackSettings =
  | { enabled: false; reason: string }
  | { enabled: true; mode: 'http'; botToken: string; signingSecret: string; apiUrl: string }
  | { enabled: true; mode: 'socket'; botToken: string; appToken: string; apiUrl: string };

export type SlackEnv = Pick<
  Env,
  'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL'
>;

/**
 * Socket Mode when SLACK_APP_TOKEN is set; else signed HTTP, which needs SLACK_SIGNING_SECRET.
 * Without a bot token (or a way to receive), Slack is off: the endpoints answer 503 and say why.
 */
export const slackSettings = (env: SlackEnv): SlackSettings => {
  const apiUrl = env.SLACK_API_URL;
  if (!env.SLACK_BOT_TOKEN) {
    return {
      enabled: false,
      reason: 'Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
    };
  }
  if (env.SLACK_APP_TOKEN) {
    return {
      enabled: true,
      mode: 'socket',
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl,
    };
  }
  if (!env.SLACK_SIGNING_SECRET) {
    return {
      enabled: false,
      reason: 'Slack is not configured: set SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)',
    };
  }
  return {
    enabled: true,
    mode: 'http',
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    apiUrl,
  };
};
