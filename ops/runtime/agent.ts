import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import { createLlm } from '../../write/agent/llm/factory.ts';
import { type GateFigures, LlmGate } from '../../write/agent/llm/gate.ts';
import type { LlmPort } from '../../write/agent/llm/port.ts';
import {
  type AgentBacklog,
  type AgentMetrics,
  type KnowledgeAccess,
  type KnowledgeRetriever,
  noSkillProfiles,
  type ReplyPresenter,
  type SkillProfileReader,
} from '../../write/agent/ports.ts';
import { defaultReactorName, runAgentReactor } from '../../write/agent/reactor/reactor.ts';
import { SessionCache } from '../../write/agent/reactor/session-cache.ts';
import { type SupervisorStatus, superviseReactor } from '../../write/agent/reactor/supervisor.ts';
import { authorizationConfigFrom } from '../../write/authorization/policy.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createRubricCatalog } from '../../write/rubrics/current.ts';
import { createPgCheckpointStore } from './agent/checkpoints.ts';
import { createPgPartitionLeases } from './agent/partition-leases.ts';
import { createPgRepLimiter } from './agent/rep-limiter.ts';
import { createKnowledgeRetriever } from './agent/retriever.ts';
import { noneSeeded, seedKnowledge } from './agent/seed-knowledge.ts';
import type { Database } from './database.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The starter knowledge base that ships with the project. */
export const starterKnowledgeDir = path.join(root, 'knowledge');

export type AgentOptions = {
  env: Env;
  database: Pick<Database, 'pool' | 'listenConfig'>;
  store: EventStore;
  codec: EventCodec;
  logger: Logger;
  /** Shows replies while they are written (Slack streaming, the terminal). */
  presenter?: ReplyPresenter;
  /** The rep's weakest skills from the growth read model; default: none known. */
  profiles?: SkillProfileReader;
  metrics?: AgentMetrics;
  /** Defaults: createLlm(env), knowledge search over the database. */
  llm?: LlmPort;
  retriever?: KnowledgeRetriever;
  /** Who may reach the knowledge base (the Slack edge refuses guests and external users). */
  knowledgeAccess?: KnowledgeAccess;
  /** Seeded when no document of it was ever published; null: never seed. */
  seedDirectory?: string | null;
  /** How often a process balances partitions with the others, and a waiting one tries to join (ms). */
  pollMs?: number;
  /** Reactor name: checkpoints and locks (tests use their own). */
  name?: string;
  /** Works only while no server's agent does (`salesai chat`: it cannot show replies in Slack). */
  guest?: boolean;
};

/** What the rest of the process reads of a running agent (in this thread or the background one). */
export type AgentView = {
  status: () => string;
  /** What this process's agent has on its hands; null while it does not run. */
  backlog: () => AgentBacklog | null;
  /** The LLM gate of this process: requests in flight, waiting, a provider-requested pause. */
  llm: () => GateFigures;
};

export type Agent = {
  status: () => SupervisorStatus;
  /** Forget-user: drops what the agent keeps of the person in this process (its session cache). */
  forgetUser: (userId: string) => number;
  /** Resolves once this process takes part in the agent's work. */
  active: () => Promise<void>;
  /** What this process's agent has on its hands; null while it does not run. */
  backlog: () => AgentBacklog | null;
  /** The LLM gate of this process: requests in flight, waiting, a provider-requested pause. */
  llm: () => GateFigures;
  stop: () => Promise<void>;
};

/** The knowledge read model says whether any document exists (null: it does not exist yet). */
const readModelHasDocuments = async (database: AgentOptions['database']): Promise<boolean | null> => {
  try {
    const { rows } = await database.pool.query<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM knowledge_documents) AS any',
    );
    return rows[0]?.any ?? false;
  } catch {
    return null;
  }
};

/**
 * Publishes the starter knowledge base on a first start, so that `npm start` gives cited advice
 * at once. Never again after that: a document retracted or changed by ops stays as they left it.
 */
const seedOnFirstStart = async (options: AgentOptions, dir: string) => {
  const { logger } = options;
  try {
    if ((await readModelHasDocuments(options.database)) === true) return;
    if (!(await noneSeeded(options.store, dir))) return;
    const summary = await seedKnowledge(
      { store: options.store, codec: options.codec, actorId: 'first-start' },
      dir,
    );
    logger.info(
      { published: summary.published.length, directory: dir },
      'knowledge base was empty: published the starter documents',
    );
    for (const failure of summary.failed) logger.warn({ file: failure.sourcePath }, failure.message);
  } catch (error) {
    logger.warn({ err: error, directory: dir }, 'could not seed the starter knowledge base');
  }
};

/** The agent's bounds from the environment (defaults derived from AGENT_CONCURRENCY). */
export const agentBounds = (env: Env) => {
  const concurrency = env.AGENT_CONCURRENCY;
  const insightConcurrency = env.AGENT_INSIGHT_CONCURRENCY || Math.max(1, Math.ceil(concurrency / 4));
  return {
    concurrency,
    insightConcurrency,
    llmInFlight: env.LLM_MAX_IN_FLIGHT || concurrency + insightConcurrency,
  };
};

/**
 * Starts the coaching agent: the LLM the environment asks for (behind this process's gate),
 * knowledge search over the read model, and a share of the work. Every process that runs the
 * agent joins through Postgres advisory locks and owns some of AGENT_PARTITIONS partitions of
 * conversations at a time, each with its own checkpoint; when a process stops or dies, the
 * others take its partitions over.
 */
export const startAgent = async (options: AgentOptions): Promise<Agent> => {
  const { env, database, logger } = options;
  const name = options.name ?? defaultReactorName;
  const seedDirectory = options.seedDirectory === undefined ? starterKnowledgeDir : options.seedDirectory;
  if (seedDirectory) await seedOnFirstStart(options, seedDirectory);

  const bounds = agentBounds(env);
  const gate = new LlmGate({ maxInFlight: bounds.llmInFlight });
  const llm =
    options.llm ??
    createLlm(env, {
      gate,
      sdkLogger: {
        error: (m) => logger.error(m),
        warn: (m) => logger.warn(m),
        info: (m) => logger.debug(m),
        debug: (m) => logger.debug(m),
      },
    });
  // Kept across takeovers of the reactor in this process, and reachable by forget-user.
  const sessions = new SessionCache();
  const leases = createPgPartitionLeases(database.listenConfig, name, env.AGENT_PARTITIONS, {
    guest: options.guest ?? false,
  });
  let backlog: (() => AgentBacklog) | null = null;
  const supervisor = superviseReactor({
    lock: leases,
    logger: logger.child({ component: 'agent' }),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    run: (signal) =>
      runAgentReactor(
        {
          name,
          store: options.store,
          codec: options.codec,
          llm,
          retriever: options.retriever ?? createKnowledgeRetriever(database.pool, logger),
          ...(options.knowledgeAccess ? { knowledgeAccess: options.knowledgeAccess } : {}),
          cache: sessions,
          profiles: options.profiles ?? noSkillProfiles,
          // Each rep is scored with their team's rubric (TEAMS, `salesai rubric choose`).
          rubrics: createRubricCatalog({
            store: options.store,
            codec: options.codec,
            authorization: authorizationConfigFrom(env),
          }),
          ...(options.presenter ? { presenter: options.presenter } : {}),
          checkpoints: createPgCheckpointStore(database.pool),
          logger,
          ...(options.metrics ? { metrics: options.metrics } : {}),
          insightsMode: env.INSIGHTS_MODE,
          inactivityMs: env.SESSION_INACTIVITY_MINUTES * 60_000,
          concurrency: bounds.concurrency,
          insightConcurrency: bounds.insightConcurrency,
          ...(env.AGENT_REP_MESSAGES_PER_MINUTE > 0
            ? { limiter: createPgRepLimiter(database.pool, env.AGENT_REP_MESSAGES_PER_MINUTE) }
            : {}),
          leases,
          ...(options.pollMs !== undefined ? { rebalanceMs: options.pollMs } : {}),
          observe: (read) => {
            backlog = read;
          },
        },
        signal,
      ).finally(() => {
        backlog = null;
      }),
  });
  logger.info(
    {
      provider: llm.provider,
      model: llm.model,
      insights: env.INSIGHTS_MODE,
      partitions: env.AGENT_PARTITIONS,
      ...bounds,
    },
    'agent started',
  );
  return {
    status: supervisor.status,
    forgetUser: (userId) => sessions.forgetUser(userId),
    active: supervisor.active,
    backlog: () => backlog?.() ?? null,
    llm: () => gate.figures(),
    stop: supervisor.stop,
  };
};
