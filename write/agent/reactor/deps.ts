import type { CommandMetadata, DialogueCommand } from '../../../schemas/commands.ts';
import { isAppError } from '../../../schemas/errors.ts';
import type { Conversation, SalesEvent } from '../../../schemas/events/index.ts';
import type { Logger } from '../../../schemas/logger.ts';
import type { SkillKey } from '../../../schemas/skills.ts';
import type { EventCodec } from '../../event-store/codec.ts';
import type { EventStore } from '../../event-store/port.ts';
import type { RubricCatalog } from '../../rubrics/current.ts';
import { type DialogueWriter, sendDialogueCommand } from '../dialogue-commands.ts';
import { detectLanguage, type Language } from '../language.ts';
import type { ChatMessage, LlmPort } from '../llm/port.ts';
import type {
  AgentMetrics,
  KnowledgeAccess,
  KnowledgeRetriever,
  ReplyPresenter,
  RetrievedDocument,
  SkillProfileReader,
} from '../ports.ts';
import type { PromptBudget } from '../prompt/build.ts';
import type { SessionCache } from './session-cache.ts';
import type { SessionMessage } from './session-loader.ts';

export type InsightsMode = 'reply' | 'session_end';

/** Everything the reactor's handlers use. */
export type AgentDeps = DialogueWriter & {
  store: EventStore;
  codec: EventCodec;
  llm: LlmPort;
  retriever: KnowledgeRetriever;
  /** Who may reach the knowledge base; everyone when not given. */
  knowledgeAccess?: KnowledgeAccess;
  profiles: SkillProfileReader;
  presenter: ReplyPresenter | undefined;
  logger: Logger;
  metrics: AgentMetrics;
  insightsMode: InsightsMode;
  /** Knowledge documents per reply. */
  knowledgeLimit: number;
  budget: PromptBudget;
  clock: () => Date;
  cache: SessionCache;
  /** Which rubric a rep is scored with, and any rubric version by reference. */
  rubrics: RubricCatalog;
  /**
   * Work that follows a reply (the insight on it): when set, handed over to run on its own bound
   * after the reply instead of holding up the conversation's next message.
   */
  afterReply?: (work: (signal: AbortSignal) => Promise<void>) => void;
};

export const agentActor = { kind: 'assistant', id: 'agent' } as const;

/**
 * Metadata of a command the agent sends because of an event: the key makes a repeat (after a
 * redelivery or a restart) append nothing new; the correlation id follows the rep's message.
 */
export const metadataFor = (deps: AgentDeps, cause: SalesEvent, key: string): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: cause.metadata.correlationId,
  causationId: cause.metadata.eventId,
  now: deps.clock().toISOString(),
  actor: agentActor,
});

/**
 * Sends a command; false when the session had ended meanwhile (the decider's SESSION_ENDED),
 * which the agent treats as "nothing to do".
 */
export const send = async (
  deps: AgentDeps,
  command: DialogueCommand,
  metadata: CommandMetadata,
): Promise<boolean> => {
  try {
    await sendDialogueCommand(deps, command, metadata);
    return true;
  } catch (error) {
    if (isAppError(error, 'SESSION_ENDED')) {
      deps.logger.info({ command: command.type }, 'agent: the session ended meanwhile; nothing recorded');
      return false;
    }
    throw error;
  }
};

export const toChat = (messages: readonly SessionMessage[]): ChatMessage[] =>
  messages.map((m) => ({ role: m.role, content: m.text }));

/** The language of the rep's latest words, falling back on the session's (「OK」 says nothing). */
export const languageOf = (messages: readonly SessionMessage[], latest?: string): Language => {
  const session = detectLanguage(
    messages
      .filter((m) => m.role === 'user')
      .map((m) => m.text)
      .join('\n'),
    'ja',
  );
  return latest === undefined ? session : detectLanguage(latest, session);
};

// searchKnowledge refuses queries over 1000 characters; the start of a long message carries its topic.
const maxQueryLength = 1000;

/** Knowledge for a question; a failing retriever costs the citations, never the reply. */
export const retrieve = async (deps: AgentDeps, query: string): Promise<RetrievedDocument[]> => {
  const q = Array.from(query.trim()).slice(0, maxQueryLength).join('');
  if (q === '') return [];
  try {
    return (await deps.retriever(q, deps.knowledgeLimit)).slice(0, deps.knowledgeLimit);
  } catch (error) {
    deps.logger.warn({ err: error }, 'agent: knowledge retrieval failed; answering without documents');
    return [];
  }
};

/**
 * Whether the reply may draw on the knowledge base; a failing check refuses it. The terminal
 * chat is run by an operator on the server: not a Slack user to check.
 */
export const mayUseKnowledge = async (
  deps: AgentDeps,
  conversation: Conversation,
  userId: string,
): Promise<boolean> => {
  if (!deps.knowledgeAccess || conversation.channelKind === 'cli') return true;
  try {
    return await deps.knowledgeAccess(userId);
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'agent: knowledge access unknown; answering without documents');
    return false;
  }
};

export const weakestSkills = async (deps: AgentDeps, userId: string): Promise<SkillKey[]> => {
  try {
    return (await deps.profiles(userId))?.weakest ?? [];
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'agent: skill profile unavailable');
    return [];
  }
};
