import type { SafeCache } from '../../../projections/cache/safe.ts';
import { weakestSkillsOf } from '../../../projections/growth/queries.ts';
import type { Env } from '../../../schemas/config.ts';
import type { Logger } from '../../../schemas/logger.ts';
import type { SlackErrorCounter } from '../../../slack-edge/web/client.ts';
import type { EventStore } from '../../../write/event-store/port.ts';
import { type Agent, startAgent } from '../agent.ts';
import type { Database } from '../database.ts';
import { listenForForgotten } from '../keys/forget-signal.ts';
import type { KeyedCodec } from '../keys/open-codec.ts';
import { type ProjectorMetrics, type Projectors, startProjectors } from '../projectors.ts';
import { startSlackEdge } from '../slack.ts';

/** Where the background work reports: the cache it keeps fresh, its metrics, LLM failures. */
export type BackgroundSinks = {
  cache: Pick<SafeCache, 'bump'>;
  metrics: ProjectorMetrics & { slackErrors: SlackErrorCounter };
  llmFailure: (provider: string, reason: string) => void;
  /** A rep's message over the per-minute limit, answered with a note. */
  throttled: () => void;
};

export type BackgroundWork = {
  projectors: Projectors;
  agent: Agent;
  stop: () => Promise<void>;
};

/**
 * What follows the recording of events: the projectors, and the agent with the Slack presenter
 * that shows its replies. Runs in a process of the `projector` role, or on the background thread
 * of a process of the `all` role (./thread.ts), never on the thread that acknowledges Slack.
 */
export const startBackgroundWork = async (
  env: Env,
  database: Database,
  store: EventStore,
  codec: KeyedCodec,
  logger: Logger,
  sinks: BackgroundSinks,
): Promise<BackgroundWork> => {
  const projectors = startProjectors({
    pool: database.pool,
    lockConfig: database.listenConfig,
    store,
    codec,
    logger,
    cache: sinks.cache,
    metrics: sinks.metrics,
  });
  const undo: (() => Promise<void>)[] = [() => projectors.stop()];
  const stop = async () => {
    for (const step of undo.reverse()) await step().catch(() => {});
  };
  try {
    const slack = await startSlackEdge({
      env,
      database,
      store,
      codec,
      logger,
      metrics: sinks.metrics,
      role: 'projector',
    });
    undo.push(slack.stop);
    // The coaching agent answers user messages (one active reactor across processes).
    const agent = await startAgent({
      env,
      database,
      store,
      codec,
      logger: logger.child({ component: 'agent' }),
      ...(slack.presenter ? { presenter: slack.presenter } : {}),
      knowledgeAccess: slack.knowledgeAccess,
      profiles: async (userId) => {
        const weakest = await weakestSkillsOf(database.pool, userId).catch(() => null);
        return weakest ? { weakest } : null;
      },
      metrics: {
        llmFailure: sinks.llmFailure,
        eventFailed: () => sinks.metrics.deadLetters.inc({ source: 'agent' }),
        throttled: sinks.throttled,
      },
    });
    undo.push(() => agent.stop());
    // forget-user (another process) announces whom it forgot: drop what the agent keeps of them.
    const forgotten = listenForForgotten({
      config: database.listenConfig,
      schema: database.schema,
      logger,
      onForgotten: async (userId) => {
        codec.dataKeys.evict(userId);
        const sessions = agent.forgetUser(userId);
        logger.info({ userId, sessions }, 'the agent forgot what it kept of a user');
      },
    });
    undo.push(forgotten.stop);
    return { projectors, agent, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
