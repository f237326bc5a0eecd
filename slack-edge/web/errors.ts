/** The error code of a failed Web API call, as Slack names it (`invalid_auth`, `ratelimited`, …). */
export const slackErrorCode = (error: unknown): string => {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number };
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return e.data?.error ?? 'platform_error';
    case 'slack_webapi_rate_limited_error':
      return 'ratelimited';
    case 'slack_webapi_http_error':
      return `http_${e.statusCode ?? 'error'}`;
    case 'slack_webapi_request_error':
      return 'request_error';
    default:
      return 'unknown';
  }
};

/** Errors that mean the bot token itself is unusable: nothing works until an operator fixes it. */
export const tokenProblems: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'team_disabled',
  'org_login_required',
]);
