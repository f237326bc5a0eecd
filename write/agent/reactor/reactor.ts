import { isAppError } from '../../../schemas/errors.ts';
import type { Logger } from '../../../schemas/logger.ts';
import { sleep } from '../../../schemas/sleep.ts';
import type { EventCodec } from '../../event-store/codec.ts';
import {
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../../event-store/port.ts';
import { createRubricCatalog, type RubricCatalog } from '../../rubrics/current.ts';
import type { LlmPort } from '../llm/port.ts';
import {
  type AgentBacklog,
  type AgentMetrics,
  type KnowledgeAccess,
  type KnowledgeRetriever,
  noMetrics,
  noSkillProfiles,
  type PartitionLeases,
  type ReactorCheckpointStore,
  type RepLimiter,
  type ReplyPresenter,
  type SkillProfileReader,
} from '../ports.ts';
import { defaultPromptBudget, type PromptBudget } from '../prompt/build.ts';
import { CheckpointTracker } from './checkpoint-tracker.ts';
import type { AgentDeps, InsightsMode } from './deps.ts';
import { ReactorStopping } from './generate.ts';
import { FairScheduler } from './lanes.ts';
import { handleSessionEnded } from './on-session-ended.ts';
import { handleUserMessage } from './on-user-message.ts';
import { conversationKeyOf, partitionCheckpointName, partitionOf, rebalance } from './partitions.ts';
import { unlimited } from './rep-limiter.ts';
import { SessionCache } from './session-cache.ts';
import { sessionMetaOf } from './session-loader.ts';
import { isTransient } from './transient.ts';

export const defaultReactorName = 'agent';

export type AgentReactorOptions = {
  /** Names the checkpoints (and, in ops, the locks). */
  name?: string;
  store: EventStore;
  codec: EventCodec;
  llm: LlmPort;
  retriever: KnowledgeRetriever;
  knowledgeAccess?: KnowledgeAccess;
  profiles?: SkillProfileReader;
  /** Rubrics and teams' choices; without it, the store's catalogue with the default choice only. */
  rubrics?: RubricCatalog;
  /** Sessions seen recently; given, so that forget-user can clear a person's entries from outside. */
  cache?: SessionCache;
  presenter?: ReplyPresenter;
  checkpoints: ReactorCheckpointStore;
  logger: Logger;
  metrics?: AgentMetrics;
  insightsMode?: InsightsMode;
  /** SESSION_INACTIVITY_MINUTES in milliseconds. */
  inactivityMs: number;
  /** Conversations answered at once (AGENT_CONCURRENCY; messages of one conversation always in order). */
  concurrency?: number;
  /** Insights derived at once, after their replies. */
  insightConcurrency?: number;
  /** The per-rep budget of messages that reach the LLM; default: none. */
  limiter?: RepLimiter;
  /**
   * The partitions this process may own, shared with other processes. Without it the reactor
   * owns all the work (one partition, checkpoint `name`): one process, tests, `salesai chat`.
   */
  leases?: PartitionLeases;
  /** How often ownership is balanced against the other processes (ms). */
  rebalanceMs?: number;
  /** Receives a way to read what the reactor has on its hands (health, metrics). */
  observe?: (backlog: () => AgentBacklog) => void;
  knowledgeLimit?: number;
  budget?: PromptBudget;
  clock?: () => Date;
  /** Attempts per event when handling fails for a reason other than the LLM (database, bug). */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** How long finished positions may wait before the checkpoint is written. */
  checkpointDelayMs?: number;
  /**
   * On stop (or when a partition is given to another process), how long replies being written
   * may take to finish before their LLM calls are aborted (an aborted message is left for the
   * next owner).
   */
  drainMs?: number;
};

export const defaultConcurrency = 32;

/** Errors that the same event will always cause again: logged, and the event is passed over. */
const permanent = (error: unknown) =>
  isAppError(error, 'VALIDATION') || isAppError(error, 'NOT_FOUND') || isAppError(error, 'CONFLICT');

/** The events the agent acts on (or learns sessions from). */
export const handledTypes = ['SessionStarted', 'MessageReceived', 'SessionEnded'] as const;

type Work = (deps: AgentDeps, signal: AbortSignal) => Promise<void>;
type Job = { type: string; group: string; quick: boolean; run: Work };

/** One partition this process owns: its checkpoint, and the work of it in hand. */
type Partition = {
  index: number;
  checkpointName: string;
  tracker: CheckpointTracker;
  /** The newest event of this partition handed to the scheduler (or its checkpoint). */
  delivered: Position | null;
  saved: Position | null;
  /** Aborted when its work must stop at once (drain time over). */
  jobs: AbortController;
  /** Set when it is being given back: nothing new of it starts. */
  leaving: boolean;
  /**
   * Taken while the reader was past its checkpoint: the reader leaves it alone (neither hands it
   * events nor moves its checkpoint) until it reads again from this partition's checkpoint.
   */
  awaitingRead: boolean;
  /** Events of it tracked and not settled. */
  pending: number;
  settled: (() => void)[];
};

const earlier = (a: Position | null, b: Position | null): Position | null =>
  a === null || b === null ? null : comparePositions(a, b) <= 0 ? a : b;

/**
 * The agent reactor: reads the dialogue events and answers the reps. A rep's message gets a
 * reply (and, after it, an insight); a roleplay that ends gets its scorecard.
 *
 * - Conversations are answered in parallel up to `concurrency`, the messages of one
 *   conversation strictly in order, reps taking turns (see FairScheduler).
 * - Each conversation belongs to one of `leases.count` partitions; this process handles the
 *   partitions it owns, and keeps its fair share as processes come and go.
 * - Each partition's checkpoint only moves past events whose handling (reply and insight)
 *   finished, so whoever owns it next redoes exactly the unfinished ones, and the deciders'
 *   idempotency turns any repeat into a no-op.
 *
 * Runs until `signal` aborts; rejects when the subscription fails.
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
    rubrics:
      options.rubrics ??
      createRubricCatalog({
        store: options.store,
        codec: options.codec,
        authorization: { managerUserIds: [], teams: {} },
      }),
  };
  const concurrency = options.concurrency ?? defaultConcurrency;
  const maxAttempts = options.maxAttempts ?? 6;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const drainMs = options.drainMs ?? 5000;
  const limiter = options.limiter ?? unlimited;
  const leases = options.leases;
  const count = leases?.count ?? 1;
  const scheduler = new FairScheduler(concurrency);
  const insights = new FairScheduler(options.insightConcurrency ?? Math.max(1, Math.ceil(concurrency / 4)));
  const owned = new Map<number, Partition>();
  // Ends with the reactor, whether it was stopped or failed.
  const life = new AbortController();
  if (signal.aborted) life.abort();
  else signal.addEventListener('abort', () => life.abort(), { once: true });
  // A stop first lets jobs finish, for up to drainMs.
  let drainTimer: NodeJS.Timeout | undefined;
  const onStop = () => {
    drainTimer = setTimeout(() => {
      for (const partition of owned.values()) partition.jobs.abort();
    }, drainMs);
  };
  signal.addEventListener('abort', onStop, { once: true });

  options.observe?.(() => ({
    partitions: { owned: [...owned.values()].filter((p) => !p.leaving).length, count },
    queued: scheduler.waiting,
    running: scheduler.running,
    insights: insights.pending,
    oldestWaitingSince: scheduler.oldestWaitingSince(),
    oldestUnansweredSince: scheduler.oldestUnfinishedSince(),
  }));

  // --- checkpoints -------------------------------------------------------------------------
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const savePartition = (partition: Partition) => {
    const checkpoint = partition.tracker.checkpoint;
    if (!checkpoint || checkpoint === partition.saved) return Promise.resolve();
    return options.checkpoints.save(partition.checkpointName, checkpoint).then(
      () => {
        partition.saved = checkpoint;
      },
      (error: unknown) => logger.warn({ err: error }, 'agent: could not save a checkpoint; will try again'),
    );
  };
  const save = () => {
    saveTimer = undefined;
    saving = saving.then(() => Promise.all([...owned.values()].map(savePartition)).then(() => {}));
    return saving;
  };
  const scheduleSave = () => {
    saveTimer ??= setTimeout(save, options.checkpointDelayMs ?? 200);
  };

  /**
   * Where a partition starts: its checkpoint. A partition never saved before starts where the
   * earliest partition of another layout (another AGENT_PARTITIONS) stood, else where the single
   * reactor of earlier versions stood, else at the beginning: never at a partition of its own
   * layout, which may have moved past events of this one that nobody handled.
   */
  const startOf = async (checkpointName: string): Promise<Position | null> => {
    const own = await options.checkpoints.get(checkpointName);
    if (own || !leases) return own;
    const layout = `/${count}`;
    let start: Position | null = null;
    for (const [other, position] of (await options.checkpoints.list?.(`${name}:`)) ?? new Map()) {
      if (other.endsWith(layout)) continue;
      start = start === null ? position : earlier(start, position);
    }
    return start ?? (await options.checkpoints.get(name));
  };

  const take = async (index: number): Promise<Partition> => {
    const checkpointName = leases ? partitionCheckpointName(name, index, count) : name;
    const start = await startOf(checkpointName);
    const partition: Partition = {
      index,
      checkpointName,
      tracker: new CheckpointTracker(start),
      delivered: start,
      saved: start,
      jobs: new AbortController(),
      leaving: false,
      awaitingRead: true,
      pending: 0,
      settled: [],
    };
    if (signal.aborted) partition.jobs.abort();
    owned.set(index, partition);
    return partition;
  };

  const settle = (partition: Partition, ticket: number | null) => {
    if (ticket !== null) partition.tracker.finish(ticket);
    partition.pending--;
    if (partition.pending === 0) for (const resolve of partition.settled.splice(0)) resolve();
    scheduleSave();
  };

  /** Lets the partition's work finish (up to drainMs), saves its checkpoint, gives it back. */
  const giveBack = async (partition: Partition) => {
    partition.leaving = true;
    if (partition.pending > 0) {
      const timer = setTimeout(() => partition.jobs.abort(), drainMs);
      await new Promise<void>((resolve) => partition.settled.push(resolve));
      clearTimeout(timer);
    }
    await saving;
    await savePartition(partition);
    owned.delete(partition.index);
    await leases?.releasePartition(partition.index).catch(() => {});
    logger.info({ partition: partition.index }, 'agent: gave a partition back');
  };

  // --- handling ----------------------------------------------------------------------------
  /** Retries what may pass on a second try (database hiccups); passes over what never will. */
  const attempt = async (
    partition: Partition,
    type: string,
    record: RecordedEvent,
    run: () => Promise<void>,
  ) => {
    // Once a stop is asked for, only jobs already running may finish: a later message of the
    // same conversation must not be answered before an earlier one left unfinished.
    const stopping = () => signal.aborted || partition.leaving || partition.jobs.signal.aborted;
    if (stopping()) throw new ReactorStopping();
    for (let n = 1; ; n++) {
      try {
        await run();
        return;
      } catch (error) {
        if (error instanceof ReactorStopping || partition.jobs.signal.aborted) throw new ReactorStopping();
        const context = { err: error, eventType: type, eventId: record.id, stream: record.streamId };
        if (permanent(error)) {
          logger.warn(context, 'agent: cannot handle this event; passing over it');
          options.metrics?.eventFailed(type);
          return;
        }
        // The database coming back is only a matter of time: never give a message up for it.
        if (n >= maxAttempts && !isTransient(error)) {
          logger.error({ ...context, attempts: n }, 'agent: giving up on this event after repeated failures');
          options.metrics?.eventFailed(type);
          return;
        }
        logger.warn({ ...context, attempt: n }, 'agent: handling failed; retrying');
        await sleep(Math.min(retryDelayMs * 2 ** (n - 1), 15_000), signal);
        if (stopping()) throw new ReactorStopping();
      }
    }
  };

  const jobFor = async (record: RecordedEvent): Promise<Job | null> => {
    const event = await options.codec.decode(record);
    switch (event.type) {
      case 'SessionStarted':
        deps.cache.set(sessionMetaOf(event, record));
        return null;
      case 'MessageReceived': {
        if (event.data.role !== 'user') return null;
        const admitted = await limiter
          .admit(event.data.userId, event.metadata.eventId, record.createdAt)
          .catch((error: unknown) => {
            // A limiter out of order costs the limit, never the answer.
            logger.warn({ err: error, eventId: record.id }, 'agent: per-rep limit unavailable; answering');
            return true;
          });
        const overLimit = admitted ? null : limiter.limit;
        return {
          type: event.type,
          group: event.data.userId,
          quick: !admitted,
          run: (d, s) => handleUserMessage(d, record, event, s, overLimit),
        };
      }
      case 'SessionEnded':
        return {
          type: event.type,
          group: event.data.userId,
          quick: false,
          run: (d, s) => handleSessionEnded(d, record, event, s),
        };
      default:
        return null;
    }
  };

  const dispatch = async (partition: Partition, record: RecordedEvent) => {
    const ticket = partition.tracker.track(record.position);
    partition.delivered = record.position;
    partition.pending++;
    let job: Job | null = null;
    for (let n = 1; ; n++) {
      try {
        job = await jobFor(record);
        break;
      } catch (error) {
        if (isTransient(error) && !signal.aborted) {
          // Reading keys or data needs the database: wait for it rather than skip a message.
          logger.warn({ err: error, eventId: record.id }, 'agent: cannot read this event yet; retrying');
          await sleep(Math.min(retryDelayMs * 2 ** (n - 1), 15_000), signal);
          continue;
        }
        if (signal.aborted) return settle(partition, null);
        // An event that cannot be read (unknown version, broken data) is no message to answer.
        logger.warn(
          { err: error, eventId: record.id, type: record.type },
          'agent: unreadable event; skipped',
        );
        break;
      }
    }
    if (!job) return settle(partition, ticket);
    const lane = conversationKeyOf(record);
    const current = job;
    const followUps: Promise<void>[] = [];
    const jobDeps: AgentDeps = {
      ...deps,
      afterReply: (work) => {
        followUps.push(
          insights.run(
            lane,
            () => attempt(partition, 'InsightDerived', record, () => work(partition.jobs.signal)),
            { group: current.group, since: record.createdAt.getTime() },
          ),
        );
      },
    };
    scheduler
      .run(
        lane,
        () => attempt(partition, current.type, record, () => current.run(jobDeps, partition.jobs.signal)),
        {
          group: current.group,
          quick: current.quick,
          since: record.createdAt.getTime(),
        },
      )
      .then(() => Promise.all(followUps))
      .then(
        () => settle(partition, ticket),
        // Stopping: left unfinished, so the checkpoint stays before it.
        () => settle(partition, null),
      );
  };

  // --- ownership ---------------------------------------------------------------------------
  let reread: (() => void) | null = null;
  const balance = async () => {
    if (!leases) return;
    // One at a time (the loop is the only caller): a partition is never taken twice.
    const members = await leases.members();
    const mine = [...owned.values()].filter((p) => !p.leaving).map((p) => p.index);
    const plan = rebalance(mine, count, members, leases.guest);
    for (const index of plan.release) void giveBack(owned.get(index)!);
    let want = plan.want;
    if (want === 0) return;
    let took = false;
    const offset = Math.floor(Math.random() * count);
    for (let i = 0; i < count && want > 0 && !life.signal.aborted; i++) {
      const index = (offset + i) % count;
      if (owned.has(index)) continue;
      if (!(await leases.tryAcquirePartition(index))) continue;
      await take(index);
      took = true;
      want--;
      logger.info({ partition: index }, 'agent: took a partition');
    }
    // The reader starts again from the earliest position a partition needs.
    if (took) reread?.();
  };

  const balancing = (async () => {
    if (!leases) return;
    while (!life.signal.aborted) {
      try {
        await balance();
      } catch (error) {
        logger.warn({ err: error }, 'agent: could not balance partitions; will try again');
      }
      await sleep(options.rebalanceMs ?? 1000, life.signal);
    }
  })();

  if (!leases) await take(0);

  // --- reading -----------------------------------------------------------------------------
  const readFrom = () => {
    let from: Position | null | undefined;
    for (const partition of owned.values()) {
      if (partition.leaving) continue;
      from = from === undefined ? partition.delivered : earlier(from, partition.delivered);
    }
    return from;
  };

  /**
   * Another partition's event (or another process's) moves this partition's checkpoint along
   * too, once its own earlier work is done: a quiet partition does not hold the reader back.
   */
  const passOver = (record: RecordedEvent, target: Partition | undefined) => {
    for (const partition of owned.values()) {
      if (partition === target || partition.leaving || partition.awaitingRead) continue;
      if (partition.delivered && comparePositions(record.position, partition.delivered) <= 0) continue;
      partition.tracker.finish(partition.tracker.track(record.position));
      partition.delivered = record.position;
    }
    scheduleSave();
  };

  const waitForPartitions = () =>
    new Promise<void>((resolve) => {
      reread = resolve;
      life.signal.addEventListener('abort', () => resolve(), { once: true });
    });

  logger.info({ partitions: count, concurrency }, 'agent reactor running');
  try {
    while (!signal.aborted) {
      const from = readFrom();
      if (from === undefined) {
        // Owns nothing (the other processes hold every partition): wait for a share.
        await waitForPartitions();
        continue;
      }
      // This read starts at or before every owned partition's checkpoint: each is read from now on.
      for (const partition of owned.values()) partition.awaitingRead = false;
      const reading = new AbortController();
      const stopReading = () => reading.abort();
      signal.addEventListener('abort', stopReading, { once: true });
      reread = stopReading;
      const subscription = options.store.subscribeToAll({
        ...(from ? { after: from } : {}),
        signal: reading.signal,
        // The dialogue's event types, whatever streams they are in; the store may skip the rest.
        types: handledTypes,
      });
      try {
        for await (const record of subscription) {
          if (reading.signal.aborted) break;
          if (!(handledTypes as readonly string[]).includes(record.type)) continue;
          const partition = owned.get(partitionOf(conversationKeyOf(record), count));
          passOver(record, partition);
          if (!partition || partition.leaving || partition.awaitingRead) continue;
          // Read again from an earlier position after a partition was taken: not twice.
          if (partition.delivered && comparePositions(record.position, partition.delivered) <= 0) continue;
          await dispatch(partition, record);
          // Backpressure: during a long catch-up, read on only while few jobs wait.
          await scheduler.below(concurrency * 16);
        }
      } finally {
        signal.removeEventListener('abort', stopReading);
        await subscription.close();
      }
    }
  } finally {
    reread = null;
    // A failure (not a stop) gives the work no time: the supervisor starts the reactor again.
    if (!signal.aborted) for (const partition of owned.values()) partition.jobs.abort();
    life.abort();
    await balancing;
    await scheduler.idle();
    await insights.idle();
    signal.removeEventListener('abort', onStop);
    clearTimeout(drainTimer);
    for (const partition of owned.values()) partition.jobs.abort();
    if (saveTimer) clearTimeout(saveTimer);
    await save();
    for (const index of owned.keys()) await leases?.releasePartition(index).catch(() => {});
    const unfinished = [...owned.values()].reduce((n, p) => n + p.tracker.unfinished, 0);
    owned.clear();
    logger.info({ unfinished }, 'agent reactor stopped');
  }
};
