import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';
import { createLlm } from '../../write/agent/llm/factory.ts';
import type { LlmPort } from '../../write/agent/llm/port.ts';
import {
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
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPgCheckpointStore } from './agent/checkpoints.ts';
import { createPgReactorLock } from './agent/lock.ts';
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
  /** How often a standby process tries to take over (ms). */
  pollMs?: number;
  /** Reactor name: checkpoint and lock (tests use their own). */
  name?: string;
};

export type Agent = {
  status: () => SupervisorStatus;
  /** Forget-user: drops what the agent keeps of the person in this process (its session cache). */
  forgetUser: (userId: string) => number;
  /** Resolves once this process runs the reactor (immediately, unless another process does). */
  active: () => Promise<void>;
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

/**
 * Starts the coaching agent: the LLM the environment asks for, knowledge search over the read
 * model, Postgres checkpoints, and a Postgres advisory lock so that exactly one process runs
 * the reactor (the others wait and take over when it stops or dies).
 */
export const startAgent = async (options: AgentOptions): Promise<Agent> => {
  const { env, database, logger } = options;
  const name = options.name ?? defaultReactorName;
  const seedDirectory = options.seedDirectory === undefined ? starterKnowledgeDir : options.seedDirectory;
  if (seedDirectory) await seedOnFirstStart(options, seedDirectory);

  const llm =
    options.llm ??
    createLlm(env, {
      sdkLogger: {
        error: (m) => logger.error(m),
        warn: (m) => logger.warn(m),
        info: (m) => logger.debug(m),
        debug: (m) => logger.debug(m),
      },
    });
  // Kept across takeovers of the reactor in this process, and reachable by forget-user.
  const sessions = new SessionCache();
  const supervisor = superviseReactor({
    lock: createPgReactorLock(database.listenConfig, name),
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
          ...(options.presenter ? { presenter: options.presenter } : {}),
          checkpoints: createPgCheckpointStore(database.pool),
          logger,
          ...(options.metrics ? { metrics: options.metrics } : {}),
          insightsMode: env.INSIGHTS_MODE,
          inactivityMs: env.SESSION_INACTIVITY_MINUTES * 60_000,
        },
        signal,
      ),
  });
  logger.info({ provider: llm.provider, model: llm.model, insights: env.INSIGHTS_MODE }, 'agent started');
  return {
    status: supervisor.status,
    forgetUser: (userId) => sessions.forgetUser(userId),
    active: supervisor.active,
    stop: supervisor.stop,
  };
};
