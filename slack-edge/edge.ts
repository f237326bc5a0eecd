import { App, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type pg from 'pg';
import type { Logger } from '../schemas/logger.ts';
import type { ReplyPresenter } from '../write/agent/ports.ts';
import type { AuthorizationConfig } from '../write/authorization/policy.ts';
import type { EventCodec } from '../write/event-store/codec.ts';
import type { EventStore } from '../write/event-store/port.ts';
import type { SlackEdgeDeps } from './deps.ts';
import { createHomePublisher } from './home/publish.ts';
import { startHomeRefresher } from './home/refresher.ts';
import { HttpReceiver } from './http/receiver.ts';
import { type SlackRouteGroup, slackRoutes, unavailableSlackRoutes } from './http/routes.ts';
import { type KnowledgeAccess, knowledgeAccess } from './knowledge-access.ts';
import { registerListeners } from './listeners/index.ts';
import { languageOfUsers } from './locale.ts';
import { createReplyLedger } from './presenter/ledger.ts';
import { createSlackPresenter } from './presenter/slack-presenter.ts';
import type { PersonalTextOpener } from './queries/dashboard.ts';
import type { SlackSettings } from './settings.ts';
import { SlackAuthState, type SlackHealth } from './web/auth-state.ts';
import { SlackClient, type SlackErrorCounter } from './web/client.ts';
import { BotIdentityCheck } from './web/identity.ts';
import { slackLogger } from './web/logger.ts';
import { createUserDirectory } from './web/user-directory.ts';

/** read-api's HealthCheck, structurally. */
export type SlackHealthCheck = { name: 'slack'; required: false; check: () => Promise<SlackHealth> };

export type SlackEdgeOptions = {
  settings: SlackSettings;
  pool: pg.Pool;
  store: EventStore;
  codec: EventCodec;
  /** Opens personal text sealed in the read models (encryption at rest); null when it is stored plain. */
  personal: PersonalTextOpener | null;
  logger: Logger;
  errors: SlackErrorCounter;
  /** MANAGER_USER_IDS and TEAMS: who may see whose history. */
  authorization: AuthorizationConfig;
  inactivityMs: number;
  /** This process receives Slack's requests (HTTP endpoints, or the Socket Mode connection). */
  receive: boolean;
  /** This process shows the agent's replies (it runs the agent). */
  present: boolean;
  /** This process republishes Home tabs after new insights. */
  refreshHome: boolean;
  clock?: () => Date;
  ackDeadlineMs?: number;
  inlineAnswerMs?: number;
  localeTimeoutMs?: number;
  /** SLACK_MAX_RETRY_AFTER: the longest Retry-After waited out. */
  maxRetryAfterSeconds?: number;
  /** ALLOW_GUEST_KNOWLEDGE: guests and external users may reach the knowledge base too. */
  allowGuestKnowledge?: boolean;
};

export type SlackEdge = {
  /** The Slack endpoints (503 with the reason when Slack is off or uses Socket Mode); null when not receiving. */
  routes: SlackRouteGroup | null;
  /** For the agent (startAgent's `presenter`); null when Slack is off or this process does not present. */
  presenter: ReplyPresenter | null;
  healthCheck: SlackHealthCheck;
  client: SlackClient | null;
  /** Who may reach the knowledge base (for the agent); everyone when Slack is off (the terminal chat). */
  knowledgeAccess: KnowledgeAccess;
  /** Forget-user: drops what this process keeps of the person and republishes their Home tab. */
  forgetUser: (userId: string) => Promise<void>;
  stop: () => Promise<void>;
};

const identityRecheckMs = 10 * 60_000;
const ledgerPruneMs = 24 * 60 * 60_000;

const disabledEdge = (options: SlackEdgeOptions, reason: string): SlackEdge => ({
  routes: options.receive ? unavailableSlackRoutes(reason) : null,
  presenter: null,
  healthCheck: {
    name: 'slack',
    required: false,
    check: async () => ({
      status: 'ok',
      latencyMs: 0,
      detail: 'not configured',
      info: { configured: false, reason },
    }),
  },
  client: null,
  knowledgeAccess: async () => true,
  forgetUser: async () => {},
  stop: async () => {},
});

/**
 * The Slack edge of one process: the Bolt app on our HTTP server (or over Socket Mode), the
 * presenter that shows the agent's replies, the Home refresher, and the health of the link to
 * Slack. Which parts run depends on the process's role.
 */
export const createSlackEdge = async (options: SlackEdgeOptions): Promise<SlackEdge> => {
  const { settings } = options;
  if (!settings.enabled) {
    options.logger.info({ reason: settings.reason }, 'slack: off');
    return disabledEdge(options, settings.reason);
  }
  const logger = options.logger.child({ component: 'slack' });
  const auth = new SlackAuthState(logger);
  const client = new SlackClient({
    token: settings.botToken,
    apiUrl: settings.apiUrl,
    logger,
    auth,
    errors: options.errors,
    ...(options.maxRetryAfterSeconds !== undefined
      ? { maxRetryAfterSeconds: options.maxRetryAfterSeconds }
      : {}),
  });
  const identity = new BotIdentityCheck(client, auth, logger);
  identity.start(identityRecheckMs);
  const directory = createUserDirectory(
    client,
    logger,
    async () => (await identity.current(1000))?.teamId,
    options.localeTimeoutMs ?? 800,
  );
  const languageOf = languageOfUsers(directory);
  const mayUseKnowledge = knowledgeAccess(directory, options.allowGuestKnowledge === true);
  const publishHome = createHomePublisher({
    pool: options.pool,
    client,
    languageOf,
    personal: options.personal,
    teams: options.authorization,
  });
  const deps: SlackEdgeDeps = {
    store: options.store,
    codec: options.codec,
    inactivityMs: options.inactivityMs,
    pool: options.pool,
    personal: options.personal,
    client,
    auth,
    languageOf,
    knowledgeAccess: mayUseKnowledge,
    authorization: options.authorization,
    publishHome,
    logger,
    clock: options.clock ?? (() => new Date()),
    inlineAnswerMs: options.inlineAnswerMs ?? 1200,
  };
  const stops: (() => Promise<void>)[] = [async () => identity.stop()];
  let connected: boolean | null = null;
  let routes: SlackRouteGroup | null = null;

  if (options.receive) {
    let receiver: Receiver;
    if (settings.mode === 'http') {
      const http = new HttpReceiver({
        signingSecret: settings.signingSecret,
        logger,
        ...(options.ackDeadlineMs ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
      });
      receiver = http;
      routes = slackRoutes((endpoint, request) => http.handle(endpoint, request));
    } else {
      const socket = new SocketModeReceiver({
        appToken: settings.appToken,
        logger: slackLogger(logger.child({ component: 'slack-socket' })),
        installerOptions: { clientOptions: { slackApiUrl: client.slackApiUrl } },
      });
      connected = false;
      socket.client.on('connected', () => {
        connected = true;
        logger.info('slack: Socket Mode connected');
      });
      socket.client.on('disconnected', () => {
        connected = false;
      });
      receiver = socket;
      routes = unavailableSlackRoutes(
        'this deployment receives Slack over Socket Mode (SLACK_APP_TOKEN is set); the HTTP endpoints are off',
      );
    }
    const app = new App({
      receiver,
      // Single workspace: the bot token, and who the bot is (auth.test, asked once and cached).
      authorize: async () => {
        const me = await identity.current(1000);
        return {
          botToken: settings.botToken,
          ...(me ? { botUserId: me.botUserId, botId: me.botId, teamId: me.teamId } : {}),
        };
      },
      logger: slackLogger(logger.child({ component: 'bolt' })),
      clientOptions: { slackApiUrl: client.slackApiUrl },
      convoStore: false,
    });
    // A failing listener reaches the receiver, which answers 500 (events are then retried by Slack).
    app.error(async (error) => {
      throw error;
    });
    registerListeners(app, deps);
    if (settings.mode === 'socket') {
      app
        .start()
        .catch((error: unknown) => logger.error({ err: error }, 'slack: Socket Mode could not start'));
    }
    stops.push(() => app.stop().then(() => undefined));
  }

  let presenter: ReplyPresenter | null = null;
  if (options.present) {
    const ledger = createReplyLedger(options.pool);
    presenter = createSlackPresenter({ client, ledger, logger });
    const prune = () =>
      ledger.prune().catch((error: unknown) => logger.warn({ err: error }, 'slack: pruning failed'));
    void prune();
    const timer = setInterval(prune, ledgerPruneMs);
    timer.unref();
    stops.push(async () => clearInterval(timer));
  }

  if (options.refreshHome) {
    const refresher = startHomeRefresher({
      store: options.store,
      codec: options.codec,
      pool: options.pool,
      logger,
      publish: publishHome,
    });
    stops.push(refresher.stop);
  }

  logger.info(
    {
      mode: settings.mode,
      receive: options.receive,
      present: options.present,
      refreshHome: options.refreshHome,
    },
    'slack: on',
  );
  return {
    routes,
    presenter,
    healthCheck: { name: 'slack', required: false, check: async () => auth.health(settings.mode, connected) },
    client,
    knowledgeAccess: mayUseKnowledge,
    forgetUser: async (userId) => {
      directory.forget(userId);
      // The Home tab Slack keeps for them is published again from the read models, where their
      // texts now read [forgotten].
      await publishHome(userId).catch((error: unknown) =>
        logger.warn({ err: error, userId }, 'slack: could not republish the Home tab of a forgotten user'),
      );
    },
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
};
