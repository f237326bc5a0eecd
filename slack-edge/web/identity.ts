import type { Logger } from '../../schemas/logger.ts';
import type { BotIdentity, SlackAuthState } from './auth-state.ts';
import type { SlackClient } from './client.ts';

/**
 * Who the bot is (auth.test), asked once at start and again now and then (the answer also tells
 * whether Slack still accepts the token). A caller that needs it at once waits at most `waitMs`.
 */
export class BotIdentityCheck {
  private readonly client: SlackClient;
  private readonly auth: SlackAuthState;
  private readonly logger: Logger;
  private inFlight: Promise<BotIdentity | null> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(client: SlackClient, auth: SlackAuthState, logger: Logger) {
    this.client = client;
    this.auth = auth;
    this.logger = logger;
  }

  check(): Promise<BotIdentity | null> {
    this.inFlight ??= (async () => {
      try {
        const result = await this.client.auth.test();
        if (!result.user_id || !result.team_id) return null;
        this.auth.identity = {
          teamId: result.team_id,
          team: result.team ?? result.team_id,
          botUserId: result.user_id,
          botId: result.bot_id,
        };
        return this.auth.identity;
      } catch (error) {
        // Token problems are logged by the auth state; network trouble only here, quietly.
        this.logger.debug({ err: error }, 'slack: auth.test failed');
        return null;
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }

  /** The identity now, or after waiting at most `waitMs` for auth.test. */
  async current(waitMs: number): Promise<BotIdentity | null> {
    if (this.auth.identity) return this.auth.identity;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    try {
      return await Promise.race([this.check(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Checks now and every `everyMs`. */
  start(everyMs: number): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
