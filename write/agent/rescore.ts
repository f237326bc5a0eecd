import type { CommandMetadata } from '../../schemas/commands.ts';
import { insightBasisKey } from '../../schemas/events/index.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { Rubric } from '../../schemas/rubrics.ts';
import { type DialogueWriter, handleDialogueCommand } from '../dialogue/handle.ts';
import { loadNamedSession } from '../dialogue/load.ts';
import { deriveInsight } from './insight/derive.ts';
import { detectLanguage, type Language } from './language.ts';
import type { ChatMessage, ChatRequest, LlmPort } from './llm/port.ts';
import type { AgentMetrics } from './ports.ts';
import { buildInsightRequest, type PromptBudget } from './prompt/build.ts';

/** A past session to score again: what the read model says of it, and its transcript. */
export type RescoreSession = {
  sessionId: string;
  conversationId: string;
  userId: string;
  mode: 'coaching' | 'roleplay';
  persona: string | null;
  transcript: ChatMessage[];
};

export type RescoreDeps = DialogueWriter & {
  llm: LlmPort;
  logger: Logger;
  metrics: AgentMetrics;
  budget?: PromptBudget;
  clock: () => Date;
};

export type RescoreOutcome = 'recorded' | 'already' | 'failed' | 'empty';

const rescoreActor = { kind: 'ops', id: 'salesai-rescore' } as const;

/** The same key for the same session and rubric version, whoever runs it: two runs record once. */
export const rescoreKey = (sessionId: string, rubric: Pick<Rubric, 'id' | 'version'>): string =>
  `rescore:${sessionId}:${rubric.id}@${rubric.version}`;

const languageOf = (transcript: readonly ChatMessage[]): Language =>
  detectLanguage(
    transcript
      .filter((m) => m.role === 'user')
      .map((m) => m.content)
      .join('\n'),
    'ja',
  );

/** The request a session is scored with: the agent's own prompt builder, on the given rubric. */
export const rescoreRequest = (session: RescoreSession, rubric: Rubric, budget?: PromptBudget): ChatRequest =>
  buildInsightRequest({
    transcript: session.transcript,
    task: session.mode === 'roleplay' ? 'roleplay_score' : 'insight',
    language: languageOf(session.transcript),
    persona: session.persona,
    rubric,
    ...(budget ? { budget } : {}),
  });

/**
 * Scores one past session on `rubric` through the LLM and records it as an InsightDerived beside
 * the session's earlier ones (origin `rescore`). Exactly once per session and rubric version:
 * a session already rescored on it is skipped before the LLM is asked, and the decider refuses a
 * second one however two runs interleave (the append of the later one conflicts, it decides
 * again and finds the first).
 */
export const rescoreSession = async (
  deps: RescoreDeps,
  session: RescoreSession,
  rubric: Rubric,
): Promise<RescoreOutcome> => {
  const ref = { id: rubric.id, version: rubric.version };
  const basis = insightBasisKey({ basedOnMessageId: null, rubric: ref, origin: 'rescore' });
  const loaded = await loadNamedSession(deps, session.conversationId, session.sessionId);
  if (loaded.state.sessions[session.sessionId]?.insightsFor.includes(basis)) return 'already';
  if (!session.transcript.some((m) => m.role === 'user')) return 'empty';
  const derived = await deriveInsight(deps.llm, rescoreRequest(session, rubric, deps.budget), {
    logger: deps.logger,
    metrics: deps.metrics,
    rubric,
  });
  if (!derived.ok) return 'failed';
  const key = rescoreKey(session.sessionId, rubric);
  const metadata: CommandMetadata = {
    idempotencyKey: key,
    correlationId: key,
    causationId: null,
    now: deps.clock().toISOString(),
    actor: rescoreActor,
  };
  const result = await handleDialogueCommand(
    deps,
    {
      type: 'RecordInsight',
      conversationId: session.conversationId,
      insight: {
        sessionId: session.sessionId,
        userId: session.userId,
        basedOnMessageId: null,
        rubric: ref,
        ...derived.insight,
        provider: derived.provider,
        model: derived.model,
        promptHash: derived.promptHash,
        origin: 'rescore',
      },
      skillKeys: rubric.skills.map((s) => s.key),
    },
    metadata,
  );
  return result.events.length > 0 ? 'recorded' : 'already';
};
