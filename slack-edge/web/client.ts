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
  /**
   * SLACK_MAX_RETRY_AFTER: a 429 whose Retry-After is longer fails at once instead of holding the
   * call (and every call queued behind it) that long; callers fall back as for any failure.
   */
  maxRetryAfterSeconds?: number;
};

/**
 * The Web API client every outgoing call uses: SLACK_API_URL, a bounded retry policy, 429s
 * waited out for as long as Slack's Retry-After says up to SLACK_MAX_RETRY_AFTER (the client
 * pauses its queue meanwhile; a longer Retry-After fails the call at once), and every failure
 * counted and reported to the auth state.
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
    const maxRetryAfter = options.maxRetryAfterSeconds ?? 30;
    this.on(WebClientEvent.RATE_LIMITED, (retryAfter: number, { url }: { url: string }) => {
      this.observer.errors.inc({ method: url.replace(/^.*\//, ''), error: 'ratelimited' });
      // The event is emitted right before the client decides, synchronously, whether to wait
      // (its private `rejectRateLimitedCalls`, read on the next line of @slack/web-api).
      (this as unknown as { rejectRateLimitedCalls: boolean }).rejectRateLimitedCalls =
        retryAfter > maxRetryAfter;
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
