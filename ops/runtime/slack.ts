import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import { createSlackEdge, type SlackEdge } from '../../slack-edge/edge.ts';
import type { PersonalTextOpener } from '../../slack-edge/queries/dashboard.ts';
import { slackSettings } from '../../slack-edge/settings.ts';
import type { SlackErrorCounter } from '../../slack-edge/web/client.ts';
import type { TeamDirectory } from '../../write/authorization/team-directory.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import type { Database } from './database.ts';
import { teamDirectoryFor } from './team-directory.ts';

export type { SlackEdge } from '../../slack-edge/edge.ts';

export type SlackEdgeRole = 'all' | 'api' | 'slack' | 'projector';

export type StartSlackEdgeOptions = {
  env: Env;
  database: Pick<Database, 'pool'>;
  store: EventStore;
  /** The system's codec; with encryption at rest it carries `personal`, which opens sealed read-model text. */
  codec: EventCodec & { personal?: PersonalTextOpener };
  logger: Logger;
  /** read-api's Metrics: only `slackErrors` is used. */
  metrics: { slackErrors: SlackErrorCounter };
  role: SlackEdgeRole;
  /** Who manages whom (teamDirectoryFor): one per process, shared with the dashboard. */
  teams?: TeamDirectory;
};

/**
 * The Slack edge for a process of the given role:
 * - `all` and `slack` receive Slack (the HTTP endpoints, or Socket Mode with SLACK_APP_TOKEN);
 * - `all` and `projector` run the agent, so they present its replies and refresh Home tabs.
 * Start it before the agent (the agent takes `presenter`) and before the HTTP app (`routes`).
 */
export const startSlackEdge = (options: StartSlackEdgeOptions): Promise<SlackEdge> => {
  const { role } = options;
  const runsAgent = role === 'all' || role === 'projector';
  return createSlackEdge({
    settings: slackSettings(options.env),
    pool: options.database.pool,
    store: options.store,
    codec: options.codec,
    personal: options.codec.personal ?? null,
    logger: options.logger,
    errors: options.metrics.slackErrors,
    teams: options.teams ?? teamDirectoryFor(options.env, options.logger),
    inactivityMs: options.env.SESSION_INACTIVITY_MINUTES * 60_000,
    allowGuestKnowledge: options.env.ALLOW_GUEST_KNOWLEDGE,
    maxRetryAfterSeconds: options.env.SLACK_MAX_RETRY_AFTER,
    receive: role === 'all' || role === 'slack',
    present: runsAgent,
    refreshHome: runsAgent,
    coachingPlan: {
      window: options.env.GROWTH_WINDOW_SESSIONS,
      timeZone: options.env.DIGEST_TIMEZONE,
      schedule: options.env.DIGEST_SCHEDULE,
    },
  });
};
