import { type WebAPICallResult, WebClient, WebClientEvent } from '@slack/web-api';
import type { Logger } from '../../schemas/logger.ts';
import type { SlackAuthState } from './auth-state.ts';
import { slackErrorCode } from './errors.ts';
import { slackLogger } from './logger.ts';

/** What the edge counts: read-api's `slackErrors` counter fits (method, error). */
export type SlackErrorCounter = { inc: (labels: { method: string; error: string }) => void };

export type SlackClientOptions = {
  token: string;
  /** SLACK_API_URL (tests point it at a local stub). */
  apiUrl: string;
  logger: Logger;
  auth: SlackAuthState;
  errors: SlackErrorCounter;
  /** Per request; a hung call must not hold a reply forever. */
  timeoutMs?: number;
  retries?: number;
};

/**
 * The Web API client every outgoing call uses: SLACK_API_URL, a bounded retry policy, 429s
 * waited out for as long as Slack's Retry-After says (the client pauses its queue), and every
 * failure counted and reported to the auth state.
 */
export class SlackClient extends WebClient {
  private readonly observer: Pick<SlackClientOptions, 'auth' | 'errors'>;

  constructor(options: SlackClientOptions) {
    super(options.token, {
      slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
      logger: slackLogger(options.logger.child({ component: 'slack-web-api' })),
      timeout: options.timeoutMs ?? 10_000,
      rejectRateLimitedCalls: false,
      retryConfig: {
        retries: options.retries ?? 3,
        factor: 2,
        minTimeout: 200,
        maxTimeout: 3000,
        randomize: true,
      },
    });
    this.observer = { auth: options.auth, errors: options.errors };
    this.on(WebClientEvent.RATE_LIMITED, (_retryAfter: number, { url }: { url: string }) => {
      this.observer.errors.inc({ method: url.replace(/^.*\//, ''), error: 'ratelimited' });
    });
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    try {
      const result = await super.apiCall(method, options);
      this.observer.auth.succeeded(method);
      return result;
    } catch (error) {
      const code = slackErrorCode(error);
      this.observer.errors.inc({ method, error: code });
      this.observer.auth.failed(method, code);
      throw error;
    }
  }
}
