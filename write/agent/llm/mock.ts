import { coreRubric } from '../../../schemas/rubrics.ts';
import { deriveRubricInsight, shapeForSchema } from './mock/insight.ts';
import { coachingReply } from './mock/reply.ts';
import { buyerReply, defaultPersona } from './mock/roleplay.ts';
import { chunkText, detectLanguage, lastUserMessage } from './mock/text.ts';
import { type ChatRequest, type ChatResult, LlmError, type LlmPort } from './port.ts';

/**
 * The deterministic coach a newcomer meets without an API key (and the tests' LLM): it reads
 * `hints` instead of the prompt, answers from keyword tables and the retrieved documents, and
 * gives the same output for the same request (no randomness, no clock).
 */

export const mockModel = 'mock-coach-1';

export type MockLlmOptions = { model?: string; chunkSize?: number };

const answer = (request: ChatRequest): string => {
  const hints = request.hints;
  const task = hints?.task ?? (request.json ? 'insight' : 'reply');
  const transcript = hints?.transcript ?? request.messages;
  const language = hints?.language ?? detectLanguage(lastUserMessage(transcript));
  switch (task) {
    case 'reply':
      return coachingReply(request);
    case 'roleplay':
      return buyerReply(transcript, hints?.persona ?? defaultPersona[language], language);
    case 'insight':
    case 'roleplay_score': {
      const persona = task === 'roleplay_score' ? (hints?.persona ?? defaultPersona[language]) : null;
      const insight = deriveRubricInsight(transcript, language, hints?.rubric ?? coreRubric, { persona });
      return JSON.stringify(shapeForSchema(insight, request.json?.schema));
    }
  }
};

const throwIfAborted = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw new LlmError('aborted', 'LLM request aborted by the caller');
};

// A rough count (about 2 characters per token for mixed Japanese and English) so that usage metrics move.
const tokens = (text: string) => Math.ceil(Array.from(text).length / 2);

export const createMockLlm = (options: MockLlmOptions = {}): LlmPort => {
  const model = options.model ?? mockModel;
  return {
    provider: 'mock',
    model,
    complete: async (request): Promise<ChatResult> => {
      throwIfAborted(request.signal);
      const text = answer(request);
      const input = [request.system, ...request.messages.map((m) => m.content)].join('\n');
      return {
        text,
        model,
        finishReason: 'stop',
        usage: { inputTokens: tokens(input), outputTokens: tokens(text) },
      };
    },
    stream: async function* (request) {
      throwIfAborted(request.signal);
      for (const chunk of chunkText(answer(request), options.chunkSize)) {
        throwIfAborted(request.signal);
        yield chunk;
      }
    },
  };
};
