import type { Logger } from '../../../schemas/logger.ts';
import { type ChatRequest, isLlmError, LlmError, type LlmPort } from '../llm/port.ts';
import type { AgentMetrics } from '../ports.ts';
import type { SafeReplyStream } from './presenting.ts';

export type Generated = { ok: true; text: string; model: string } | { ok: false; error: LlmError };

/** Thrown when the reactor is stopping: the message is left for whoever handles it next. */
export class ReactorStopping extends Error {
  constructor() {
    super('the agent reactor is stopping');
    this.name = 'ReactorStopping';
  }
}

/**
 * The model's answer, streamed to the presenter when there is one. A final failure (after the
 * port's own retries) is returned, logged and counted; the caller records an apology instead.
 * A stop of the reactor is thrown, never turned into an apology.
 */
export const generateText = async (
  llm: LlmPort,
  request: ChatRequest,
  output: SafeReplyStream,
  { logger, metrics, signal }: { logger: Logger; metrics: AgentMetrics; signal: AbortSignal },
): Promise<Generated> => {
  const withSignal = { ...request, signal };
  try {
    let text = '';
    let model = llm.model;
    if (output.streaming) {
      for await (const delta of llm.stream(withSignal)) {
        text += delta;
        await output.append(delta);
      }
    } else {
      const result = await llm.complete(withSignal);
      text = result.text;
      model = result.model;
    }
    if (text.trim() === '') throw new LlmError('invalid_output', `${llm.provider}: empty answer`);
    return { ok: true, text: text.trim(), model };
  } catch (cause) {
    if (signal.aborted) throw new ReactorStopping();
    const error = isLlmError(cause)
      ? cause
      : new LlmError('server', `${llm.provider}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    metrics.llmFailure(llm.provider, error.kind);
    logger.error(
      { err: error, kind: error.kind, attempts: error.attempts, task: request.hints?.task },
      'agent: the LLM failed; replying with an apology',
    );
    return { ok: false, error };
  }
};
