import type { MiddlewareHandler } from 'hono';
import type pg from 'pg';
import type { DisplayNames } from '../projections/growth/team.ts';
import type { ProjectionDefinition } from '../projections/projection.ts';
import type { RunnerState } from '../projections/runner/status.ts';
import type { ApiKeyPrincipal } from '../schemas/api/api-keys.ts';
import type { Env } from '../schemas/config.ts';
import type { Logger } from '../schemas/logger.ts';
import type { TeamDirectory } from '../write/authorization/team-directory.ts';
import type { PersonalText } from '../write/crypto/personal-text.ts';
import type { EventCodec } from '../write/event-store/codec.ts';
import type { EventStore } from '../write/event-store/port.ts';
import type { SlackSignInSettings } from './auth/slack/settings.ts';

/** What the dashboard needs from the composition root (ops/runtime/system.ts). */
export type DashboardDeps = {
  /** The read tables (and `api_keys`, to notice a revoked key behind a live session). */
  pool: pg.Pool;
  /**
   * Opens sealed personal text (messages, insights, personas): read tables hold it encrypted,
   * and the dashboard opens it only to render it, like the read API (`codec.personal` of openCodec).
   */
  personal: PersonalText;
  /** For the projections page: lag is measured against the store; knowledge uploads append to it. */
  store: EventStore;
  /** The codec every writer uses (openCodec): knowledge uploads go through the command path. */
  codec: EventCodec;
  projections: readonly ProjectionDefinition[];
  /** This process' runners (empty when another process runs the projections). */
  runners: () => ReadonlyMap<string, RunnerState>;
  /** The read API's verifier: the same keys and scopes sign in to the dashboard. */
  verifyApiKey: (key: string) => Promise<ApiKeyPrincipal | undefined>;
  /** SECRET_KEY as resolved at start-up; the session and CSRF keys are derived from it. */
  secretKey: string;
  /** API_KEYS: a session made with one of them ends when it leaves the list (next restart). */
  envKeys: Env['API_KEYS'];
  /**
   * Guards the ops pages as the ops API is guarded (METRICS_ALLOWED_IPS):
   * `ipAllowlist({ allow: env.METRICS_ALLOWED_IPS })`. It may throw an AppError (403).
   */
  opsGuard: MiddlewareHandler;
  logger: Logger;
  /** Mark cookies Secure even on plain HTTP requests (TLS ends at a proxy that sends no X-Forwarded-Proto). */
  secureCookies?: boolean;
  /** Dates and weeks are shown and cut in this zone. */
  timeZone?: string;
  /** How long a sign-in lasts. */
  sessionTtlSeconds?: number;
  now?: () => number;
  // --- Manager in the loop (issue 16) ---
  /** Sign in with Slack (OpenID Connect); absent = API keys only. */
  slackSignIn?: SlackSignInSettings | null;
  /**
   * Who manages whom (TEAMS, MANAGER_USER_IDS, Slack user groups): what Slack-signed-in people see,
   * and whose team's rubric a rep's scores are shown on by default.
   */
  teams?: TeamDirectory;
  /** Tells a rep in Slack that their session was reviewed (absent: nobody is told). */
  notifyReview?: (review: {
    sessionId: string;
    userId: string;
    reviewerId: string;
    scores: Readonly<Record<string, number>>;
    comment: string;
  }) => Promise<void>;
  /** Targets and the growth ranking: who manages whom, Slack display names, GROWTH_WINDOW_SESSIONS. */
  coachingPlan?: { displayNames: DisplayNames; window: number };
};

export const defaultTimeZone = 'Asia/Tokyo';
export const defaultSessionTtlSeconds = 8 * 60 * 60;
