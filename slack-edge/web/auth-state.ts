import type { Logger } from '../../schemas/logger.ts';
import { tokenProblems } from './errors.ts';

export type BotIdentity = { teamId: string; team: string; botUserId: string; botId: string | undefined };

/** The Slack component of `/api/v1/health/detailed`, shaped like read-api's ComponentHealth. */
export type SlackHealth = {
  status: 'ok' | 'degraded' | 'down';
  latencyMs: number;
  detail?: string;
  info?: Record<string, unknown>;
};

/**
 * What the edge knows about its standing with Slack: who the bot is (auth.test), and whether
 * Slack has refused the token. A refused token is logged once, loudly, with what to do; every
 * later refusal only counts (the metric) until a call succeeds again.
 */
export class SlackAuthState {
  private readonly logger: Logger;
  private problem: { error: string; method: string; since: string } | null = null;
  private lastFailure: { error: string; method: string; at: string } | null = null;
  private lastSuccessAt: string | null = null;
  identity: BotIdentity | null = null;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  succeeded(_method: string): void {
    this.lastSuccessAt = new Date().toISOString();
    if (this.problem) {
      this.logger.info({ error: this.problem.error }, 'Slack accepts the bot token again');
      this.problem = null;
    }
  }

  failed(method: string, error: string): void {
    const at = new Date().toISOString();
    this.lastFailure = { error, method, at };
    if (!tokenProblems.has(error)) return;
    if (this.problem) return;
    this.problem = { error, method, since: at };
    this.logger.error(
      { slackError: error, method },
      `Slack refused the bot token (${error}): no reply, view or command answer can be sent. ` +
        'Check SLACK_BOT_TOKEN (reinstall the app to the workspace or issue a new token) and restart. ' +
        'Further failures of this kind are counted in slack_errors_total but not logged again.',
    );
  }

  get tokenProblem(): string | null {
    return this.problem?.error ?? null;
  }

  health(mode: 'http' | 'socket', connected: boolean | null): SlackHealth {
    const info: Record<string, unknown> = {
      mode,
      ...(this.identity
        ? { team: this.identity.team, teamId: this.identity.teamId, botUserId: this.identity.botUserId }
        : {}),
      ...(connected !== null ? { connected } : {}),
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt } : {}),
      ...(this.lastFailure ? { lastError: this.lastFailure } : {}),
    };
    if (this.problem) {
      return {
        status: 'down',
        latencyMs: 0,
        detail: `Slack refused the bot token (${this.problem.error}) since ${this.problem.since}: check SLACK_BOT_TOKEN`,
        info,
      };
    }
    if (connected === false)
      return { status: 'degraded', latencyMs: 0, detail: 'Socket Mode is not connected', info };
    if (!this.identity) {
      return {
        status: 'degraded',
        latencyMs: 0,
        detail: 'the bot identity is not known yet (auth.test pending)',
        info,
      };
    }
    return { status: 'ok', latencyMs: 0, info };
  }
}
