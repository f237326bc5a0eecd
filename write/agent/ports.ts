import type { Citation, Conversation } from '../../schemas/events/index.ts';
import type { SkillKey } from '../../schemas/skills.ts';
import type { Position } from '../event-store/port.ts';
import type { Language } from './language.ts';

/**
 * What the agent needs from outside write/: read models (knowledge search, a rep's skill
 * profile), a place to show replies while they are written (Slack, the terminal), and the
 * reactor's bookkeeping (checkpoint, single-owner lock). `ops/` provides the implementations.
 */

/** A knowledge document retrieved for a question, best first. */
export type RetrievedDocument = {
  id: string;
  title: string;
  /** A short passage around the query terms (plain text). */
  snippet: string;
  /** The whole document (Markdown), when the retriever has it: richer grounding than the snippet. */
  body?: string;
  version?: number;
  /** The part that answers (section heading, `p. 3`, `slide 2: …`), named in the citation. */
  section?: string;
  /** The retrieval score, higher is better: lets a coach leave out what barely matched. */
  score?: number;
};

export type KnowledgeRetriever = (query: string, limit: number) => Promise<RetrievedDocument[]>;

export const noKnowledge: KnowledgeRetriever = async () => [];

/**
 * Whether a person may reach the internal knowledge base (guests and external users of Slack
 * may not, by default); someone it refuses is coached without documents.
 */
export type KnowledgeAccess = (userId: string) => Promise<boolean>;

/** A rep's skills from the growth read model, weakest first; null when the rep has no history yet. */
export type SkillProfile = { weakest: SkillKey[] };

export type SkillProfileReader = (userId: string) => Promise<SkillProfile | null>;

export const noSkillProfiles: SkillProfileReader = async () => null;

/** Where a reply is going, for a presenter that shows it while it is written. */
export type ReplyContext = {
  conversation: Conversation;
  sessionId: string;
  userId: string;
  /** The user message answered, or `session-end:<sessionId>` for a roleplay's closing scorecard. */
  replyTo: string;
  language: Language;
  kind: 'coaching' | 'roleplay' | 'scorecard';
};

/** The visible steps of a reply: searching the knowledge base, writing the answer, scoring. */
export type ReplyStepId = 'knowledge' | 'answer' | 'scoring';

/**
 * A step starting, done, or failed. `found`: how many documents the knowledge search found. A
 * presenter may show steps (Slack: task updates in the streamed message) or ignore them.
 */
export type ReplyStep = { id: ReplyStepId; status: 'in_progress' | 'complete' | 'error'; found?: number };

/**
 * One reply being shown. `step` reports the visible steps, in order, each started then
 * completed; `append` gets the text as the model writes it; then exactly one of `finish` (the
 * final text, once recorded, with the documents it cites) or `fail` (the apology that was
 * recorded instead). Neither is called when the reactor stops mid-reply: the message will be
 * answered again by whichever process takes over.
 */
export interface ReplyStream {
  step?(step: ReplyStep): Promise<void> | void;
  append(delta: string): Promise<void> | void;
  finish(finalText: string, citations: Citation[]): Promise<void> | void;
  fail(apologyText: string): Promise<void> | void;
}

/**
 * Optional: the Slack edge streams replies through it; `salesai chat` prints them. A presenter
 * that throws never stops a reply from being recorded.
 */
export interface ReplyPresenter {
  begin(context: ReplyContext): Promise<ReplyStream> | ReplyStream;
  /**
   * For a reply already recorded: a stream to finish showing it when an earlier attempt began
   * showing it and did not finish (the process died in between: a placeholder is still up); null
   * when it was shown, or never begun (nothing to complete; an old reply is never shown again).
   */
  resume?(context: ReplyContext): Promise<ReplyStream | null>;
}

/** The position a reactor has fully handled, by reactor name. */
export interface ReactorCheckpointStore {
  get(name: string): Promise<Position | null>;
  save(name: string, position: Position): Promise<void>;
  /** Every checkpoint whose name starts with `prefix`, by name. */
  list?(prefix: string): Promise<Map<string, Position>>;
}

/**
 * The agent's work, divided into `count` partitions of conversations, each owned by at most one
 * process at a time. The process joins through `ReactorLock.tryAcquire` (its membership; lost
 * with its connection, and with it every partition it held), then takes and gives back
 * partitions. The Postgres implementation: an advisory lock per partition; with EventStoreDB a
 * persistent subscription with the pinned strategy could provide the same (a partition per
 * consumer bucket, acks instead of checkpoints).
 */
export interface PartitionLeases extends ReactorLock {
  readonly count: number;
  /**
   * A guest (`salesai chat`) works only while no member does: it has no Slack presenter, so it
   * must not answer Slack conversations beside a server.
   */
  readonly guest: boolean;
  /** Member processes taking part now (this one included unless it is a guest). */
  members(): Promise<number>;
  tryAcquirePartition(partition: number): Promise<boolean>;
  releasePartition(partition: number): Promise<void>;
}

/** What the agent of this process has on its hands, for health and metrics. */
export type AgentBacklog = {
  partitions: { owned: number; count: number };
  /** Messages waiting for their turn (read, not started). */
  queued: number;
  /** Conversations being answered now. */
  running: number;
  /** Insights waiting or being derived (after their replies). */
  insights: number;
  /** When the oldest waiting message was recorded (ms since the epoch), null: none. */
  oldestWaitingSince: number | null;
  /** When the oldest message not answered yet (waiting or being answered) was recorded. */
  oldestUnansweredSince: number | null;
};

/**
 * Exactly one active reactor across processes. `tryAcquire` takes the lock if it is free;
 * `stillHeld` says whether it is still ours (the connection holding it may die); `release`
 * gives it up. Held locks vanish with the process that held them.
 */
export interface ReactorLock {
  tryAcquire(): Promise<boolean>;
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A per-rep budget of messages that reach the LLM. `admit` answers the same for the same message
 * when asked again (a message handled again after a takeover is judged as before, when the
 * implementation remembers). `at` is when the message was recorded. `limit` per minute, or null.
 */
export interface RepLimiter {
  readonly limit: number | null;
  admit(userId: string, messageKey: string, at: Date): Promise<boolean>;
}

/** What the agent counts, for metrics; ops maps it onto Prometheus. */
export type AgentMetrics = {
  /** An LLM call that failed for good (after the port's own retries), or gave unusable output twice. */
  llmFailure: (provider: string, reason: string) => void;
  /** An event the reactor gave up on after repeated failures (it moves on; the error is logged). */
  eventFailed: (eventType: string) => void;
  /** A rep's message answered with the over-the-limit note instead of the LLM. */
  throttled?: () => void;
};

export const noMetrics: AgentMetrics = { llmFailure: () => {}, eventFailed: () => {} };
