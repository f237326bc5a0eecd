import { isAppError } from '../../../schemas/errors.ts';
import type { Logger } from '../../../schemas/logger.ts';
import { conversationOfStream } from '../../dialogue/stream.ts';
import type { EventCodec } from '../../event-store/codec.ts';
import type { EventStore, RecordedEvent } from '../../event-store/port.ts';
import type { LlmPort } from '../llm/port.ts';
import {
  type AgentMetrics,
  type KnowledgeAccess,
  type KnowledgeRetriever,
  noMetrics,
  noSkillProfiles,
  type ReactorCheckpointStore,
  type ReplyPresenter,
  type SkillProfileReader,
} from '../ports.ts';
import { defaultPromptBudget, type PromptBudget } from '../prompt/build.ts';
import { CheckpointTracker } from './checkpoint-tracker.ts';
import type { AgentDeps, InsightsMode } from './deps.ts';
import { ReactorStopping } from './generate.ts';
import { LaneScheduler } from './lanes.ts';
import { handleSessionEnded } from './on-session-ended.ts';
import { handleUserMessage } from './on-user-message.ts';
import { SessionCache } from './session-cache.ts';
import { sessionMetaOf } from './session-loader.ts';

export const defaultReactorName = 'agent';

export type AgentReactorOptions = {
  /** Names the checkpoint (and, in ops, the lock). */
  name?: string;
  store: EventStore;
  codec: EventCodec;
  llm: LlmPort;
  retriever: KnowledgeRetriever;
  knowledgeAccess?: KnowledgeAccess;
  profiles?: SkillProfileReader;
  /** Sessions seen recently; given, so that forget-user can clear a person's entries from outside. */
  cache?: SessionCache;
  presenter?: ReplyPresenter;
  checkpoints: ReactorCheckpointStore;
  logger: Logger;
  metrics?: AgentMetrics;
  insightsMode?: InsightsMode;
  /** SESSION_INACTIVITY_MINUTES in milliseconds. */
  inactivityMs: number;
  /** Conversations handled at once (messages of one conversation are always handled in order). */
  concurrency?: number;
  knowledgeLimit?: number;
  budget?: PromptBudget;
  clock?: () => Date;
  /** Attempts per event when handling fails for a reason other than the LLM (database, bug). */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** How long finished positions may wait before the checkpoint is written. */
  checkpointDelayMs?: number;
  /**
   * On stop, how long replies being written may take to finish before their LLM calls are
   * aborted (an aborted message is left for the next owner).
   */
  drainMs?: number;
};

/** Errors that the same event will always cause again: logged, and the event is passed over. */
const permanent = (error: unknown) =>
  isAppError(error, 'VALIDATION') || isAppError(error, 'NOT_FOUND') || isAppError(error, 'CONFLICT');

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** The events the agent acts on (or learns sessions from). */
export const handledTypes = ['SessionStarted', 'MessageReceived', 'SessionEnded'] as const;

type Job = { lane: string; type: string; run: (signal: AbortSignal) => Promise<void> };

/**
 * The agent reactor: subscribes to all events from its checkpoint and answers the reps. A rep's
 * message gets a reply (and an insight); a roleplay that ends gets its scorecard. Conversations
 * are handled in parallel up to `concurrency`, the messages of one conversation strictly in
 * order. The checkpoint only moves past events whose handling finished, so a restart (or a
 * takeover by another process) redoes exactly the unfinished ones, and the deciders' idempotency
 * turns any repeat into a no-op. Runs until `signal` aborts; rejects when the subscription fails.
 */
export const runAgentReactor = async (options: AgentReactorOptions, signal: AbortSignal): Promise<void> => {
  const name = options.name ?? defaultReactorName;
  const logger = options.logger.child({ component: 'agent-reactor', reactor: name });
  const deps: AgentDeps = {
    store: options.store,
    codec: options.codec,
    inactivityMs: options.inactivityMs,
    llm: options.llm,
    retriever: options.retriever,
    ...(options.knowledgeAccess ? { knowledgeAccess: options.knowledgeAccess } : {}),
    profiles: options.profiles ?? noSkillProfiles,
    presenter: options.presenter,
    logger,
    metrics: options.metrics ?? noMetrics,
    insightsMode: options.insightsMode ?? 'reply',
    knowledgeLimit: options.knowledgeLimit ?? 3,
    budget: options.budget ?? defaultPromptBudget,
    clock: options.clock ?? (() => new Date()),
    cache: options.cache ?? new SessionCache(),
  };
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 6;
  const retryDelayMs = options.retryDelayMs ?? 500;

  // Jobs see a signal of their own: a stop first lets them finish, for up to drainMs.
  const jobs = new AbortController();
  let drainTimer: NodeJS.Timeout | undefined;
  const onStop = () => {
    drainTimer = setTimeout(() => jobs.abort(), options.drainMs ?? 5000);
  };
  if (signal.aborted) jobs.abort();
  else signal.addEventListener('abort', onStop, { once: true });

  const start = await options.checkpoints.get(name);
  const tracker = new CheckpointTracker(start);
  const lanes = new LaneScheduler(concurrency);
  let saved = start;
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();

  const save = () => {
    saveTimer = undefined;
    saving = saving.then(async () => {
      const checkpoint = tracker.checkpoint;
      if (!checkpoint || checkpoint === saved) return;
      try {
        await options.checkpoints.save(name, checkpoint);
        saved = checkpoint;
      } catch (error) {
        logger.warn({ err: error }, 'agent: could not save the checkpoint; will try again');
      }
    });
  };
  const scheduleSave = () => {
    saveTimer ??= setTimeout(save, options.checkpointDelayMs ?? 200);
  };

  /** Retries what may pass on a second try (database hiccups); passes over what never will. */
  const attempt = async (job: Job, record: RecordedEvent) => {
    // Once a stop is asked for, only jobs already running may finish: a later message of the
    // same conversation must not be answered before an earlier one left unfinished.
    if (signal.aborted) throw new ReactorStopping();
    for (let n = 1; ; n++) {
      try {
        await job.run(jobs.signal);
        return;
      } catch (error) {
        if (error instanceof ReactorStopping || jobs.signal.aborted) throw new ReactorStopping();
        const context = { err: error, eventType: job.type, eventId: record.id, stream: record.streamId };
        if (permanent(error)) {
          logger.warn(context, 'agent: cannot handle this event; passing over it');
          options.metrics?.eventFailed(job.type);
          return;
        }
        if (n >= maxAttempts) {
          logger.error({ ...context, attempts: n }, 'agent: giving up on this event after repeated failures');
          options.metrics?.eventFailed(job.type);
          return;
        }
        logger.warn({ ...context, attempt: n }, 'agent: handling failed; retrying');
        await sleep(Math.min(retryDelayMs * 2 ** (n - 1), 15_000), signal);
        if (signal.aborted) throw new ReactorStopping();
      }
    }
  };

  const jobFor = async (record: RecordedEvent): Promise<Job | null> => {
    if (!record.streamId.startsWith('dialogue-')) return null;
    if (!(handledTypes as readonly string[]).includes(record.type)) return null;
    const event = await options.codec.decode(record);
    // One lane per conversation: its sessions' streams are handled in order too.
    const lane = conversationOfStream(record.streamId);
    switch (event.type) {
      case 'SessionStarted':
        deps.cache.set(sessionMetaOf(event, record));
        return null;
      case 'MessageReceived':
        if (event.data.role !== 'user') return null;
        return { lane, type: event.type, run: (s) => handleUserMessage(deps, record, event, s) };
      case 'SessionEnded':
        return { lane, type: event.type, run: (s) => handleSessionEnded(deps, record, event, s) };
      default:
        return null;
    }
  };

  const subscription = options.store.subscribeToAll({
    ...(start ? { after: start } : {}),
    signal,
    // The store may skip everything else; jobFor checks the type again either way.
    types: handledTypes,
  });
  logger.info({ from: start ? `${start.commit}/${start.prepare}` : 'start' }, 'agent reactor running');
  try {
    for await (const record of subscription) {
      if (signal.aborted) break;
      const ticket = tracker.track(record.position);
      let job: Job | null = null;
      try {
        job = await jobFor(record);
      } catch (error) {
        // An event that cannot be read (unknown version, broken data) is no message to answer.
        logger.warn(
          { err: error, eventId: record.id, type: record.type },
          'agent: unreadable event; skipped',
        );
      }
      if (!job) {
        tracker.finish(ticket);
        scheduleSave();
        continue;
      }
      const current = job;
      lanes
        .run(current.lane, () => attempt(current, record))
        .then(
          () => {
            tracker.finish(ticket);
            scheduleSave();
          },
          () => {
            // Stopping: left unfinished, so the checkpoint stays before it.
          },
        );
      // Backpressure: during a long catch-up, read on only while few jobs wait.
      await lanes.below(concurrency * 8);
    }
  } finally {
    await subscription.close();
    await lanes.idle();
    signal.removeEventListener('abort', onStop);
    clearTimeout(drainTimer);
    jobs.abort();
    if (saveTimer) clearTimeout(saveTimer);
    save();
    await saving;
    logger.info({ unfinished: tracker.unfinished }, 'agent reactor stopped');
  }
};
