import type { SalesEvent } from '../../../schemas/events/index.ts';
import type { Rubric } from '../../../schemas/rubrics.ts';
import { deriveInsight } from '../insight/derive.ts';
import type { InsightOutput } from '../insight/schema.ts';
import type { Language } from '../language.ts';
import type { ChatMessage } from '../llm/port.ts';
import { buildInsightRequest } from '../prompt/build.ts';
import type { InsightTask } from '../prompt/insight-prompt.ts';
import { type AgentDeps, metadataFor, send } from './deps.ts';
import type { SessionMeta } from './session-cache.ts';

export type InsightRequest = {
  cause: SalesEvent;
  meta: SessionMeta;
  transcript: ChatMessage[];
  task: InsightTask;
  language: Language;
  /** The user message judged, or null for the whole session (a roleplay's scorecard). */
  basedOnMessageId: string | null;
  /** Idempotency key of the RecordInsight command. */
  key: string;
  signal: AbortSignal;
};

export type RecordedInsight = { insight: InsightOutput; rubric: Rubric };

/**
 * Derives an insight with the LLM on the rep's current rubric and records it. Returns it, or
 * null when the model gave no usable answer (already logged and counted: nothing is recorded then).
 */
export const deriveAndRecordInsight = async (
  deps: AgentDeps,
  request: InsightRequest,
): Promise<RecordedInsight | null> => {
  const rubric = await deps.rubrics.currentFor(request.meta.userId);
  const derived = await deriveInsight(
    deps.llm,
    buildInsightRequest({
      transcript: request.transcript,
      task: request.task,
      language: request.language,
      persona: request.meta.persona,
      rubric,
      budget: deps.budget,
    }),
    { logger: deps.logger, metrics: deps.metrics, signal: request.signal, rubric },
  );
  if (!derived.ok) return null;
  await send(
    deps,
    {
      type: 'RecordInsight',
      conversationId: request.meta.conversation.id,
      insight: {
        sessionId: request.meta.sessionId,
        userId: request.meta.userId,
        basedOnMessageId: request.basedOnMessageId,
        rubric: { id: rubric.id, version: rubric.version },
        ...derived.insight,
        provider: derived.provider,
        model: derived.model,
        promptHash: derived.promptHash,
        origin: 'live',
      },
      skillKeys: rubric.skills.map((s) => s.key),
    },
    metadataFor(deps, request.cause, request.key),
  );
  return { insight: derived.insight, rubric };
};
