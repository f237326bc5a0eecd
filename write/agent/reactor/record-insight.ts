import type { SalesEvent } from '../../../schemas/events/index.ts';
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

/**
 * Derives an insight with the LLM and records it. Returns it, or null when the model gave no
 * usable answer (already logged and counted: nothing is recorded then).
 */
export const deriveAndRecordInsight = async (
  deps: AgentDeps,
  request: InsightRequest,
): Promise<InsightOutput | null> => {
  const derived = await deriveInsight(
    deps.llm,
    buildInsightRequest({
      transcript: request.transcript,
      task: request.task,
      language: request.language,
      persona: request.meta.persona,
      budget: deps.budget,
    }),
    { logger: deps.logger, metrics: deps.metrics, signal: request.signal },
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
        ...derived.insight,
        model: derived.model,
      },
    },
    metadataFor(deps, request.cause, request.key),
  );
  return derived.insight;
};
