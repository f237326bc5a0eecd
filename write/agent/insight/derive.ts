import { z } from 'zod';
import type { Logger } from '../../../schemas/logger.ts';
import { coreRubric, type Rubric } from '../../../schemas/rubrics.ts';
import { type ChatRequest, isLlmError, LlmError, type LlmPort, type LlmProvider } from '../llm/port.ts';
import type { AgentMetrics } from '../ports.ts';
import { promptHash } from './prompt-hash.ts';
import { type InsightOutput, insightOutputSchema } from './schema.ts';

export type DerivedInsight =
  | {
      ok: true;
      insight: InsightOutput;
      model: string;
      provider: LlmProvider;
      /** Of the request whose answer was taken (the corrected one after a bad first answer). */
      promptHash: string;
    }
  | { ok: false; reason: string; error: unknown };

export type DeriveOptions = {
  logger: Logger;
  metrics: AgentMetrics;
  signal?: AbortSignal;
  /** The rubric the request asks for (its skills are the scores' keys); core v1 when not given. */
  rubric?: Pick<Rubric, 'skills'>;
};

const parse = (
  text: string,
  rubric: Pick<Rubric, 'skills'>,
): { ok: true; value: InsightOutput } | { ok: false; problem: string } => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
  const result = insightOutputSchema(rubric).safeParse(json);
  if (!result.success) return { ok: false, problem: z.prettifyError(result.error).replace(/\n/g, '; ') };
  const { scores, strengths, improvements, nextActions, summary } = result.data;
  const trim = (items: string[]) => items.map((s) => s.trim());
  return {
    ok: true,
    value: {
      scores,
      strengths: trim(strengths),
      improvements: trim(improvements),
      nextActions: trim(nextActions),
      summary: summary.trim(),
    },
  };
};

/** The retry shows the model its own answer and what was wrong with it. */
const correction = (request: ChatRequest, badText: string, problem: string): ChatRequest => ({
  ...request,
  messages: [
    ...request.messages,
    { role: 'assistant', content: badText.slice(0, 4000) || '(empty)' },
    {
      role: 'user',
      content: `この回答はスキーマに合いません（${problem}）。スキーマに合うJSONオブジェクトだけを、もう一度出力してください。`,
    },
  ],
});

/**
 * Asks for an insight as structured output and validates it with zod. Invalid output (not JSON,
 * or not the schema) is asked for once more; then it is given up: logged, counted, not recorded.
 * Transport failures are not retried here: the LLM port has already retried them.
 */
export const deriveInsight = async (
  llm: LlmPort,
  request: ChatRequest,
  { logger, metrics, signal, rubric = coreRubric }: DeriveOptions,
): Promise<DerivedInsight> => {
  let current: ChatRequest = signal ? { ...request, signal } : request;
  let lastProblem = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    let text: string;
    let model: string;
    try {
      const result = await llm.complete(current);
      text = result.text;
      model = result.model;
    } catch (error) {
      if (isLlmError(error, 'aborted') || signal?.aborted) throw error;
      if (!isLlmError(error, 'invalid_output')) {
        const reason = isLlmError(error) ? error.kind : 'error';
        metrics.llmFailure(llm.provider, reason);
        logger.error(
          { err: error, task: request.hints?.task },
          'insight: the LLM call failed; no insight recorded',
        );
        return { ok: false, reason, error };
      }
      lastProblem = error.message;
      logger.warn({ attempt, problem: lastProblem }, 'insight: unusable output from the LLM');
      continue;
    }
    const parsed = parse(text, rubric);
    if (parsed.ok) {
      const { signal: _signal, ...sent } = current;
      return {
        ok: true,
        insight: parsed.value,
        model,
        provider: llm.provider,
        promptHash: promptHash(sent, { provider: llm.provider, model }),
      };
    }
    lastProblem = parsed.problem;
    logger.warn({ attempt, problem: parsed.problem }, 'insight: output does not match the schema');
    current = correction(current, text, parsed.problem);
  }
  metrics.llmFailure(llm.provider, 'invalid_output');
  logger.error(
    { task: request.hints?.task, problem: lastProblem },
    'insight: invalid output twice; no insight recorded',
  );
  return { ok: false, reason: 'invalid_output', error: new LlmError('invalid_output', lastProblem) };
};
