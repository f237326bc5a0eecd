import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions';
import { toLlmError } from './errors.ts';
import { checkJsonOutput } from './json-output.ts';
import type { ChatRequest, ChatResult, FinishReason, LlmPort } from './port.ts';
import { LlmError } from './port.ts';
import { type ProviderOptions, sdkClientOptions, sdkPort } from './provider-options.ts';

export type OpenAiLlmOptions = ProviderOptions;

const classify = (error: unknown) => toLlmError(error, OpenAI, 'openai');

const finishReasonOf = (reason: string | null | undefined): FinishReason =>
  reason === 'stop' ? 'stop' : reason === 'length' ? 'length' : 'other';

const params = (options: OpenAiLlmOptions, request: ChatRequest): ChatCompletionCreateParamsBase => ({
  model: options.model,
  messages: [
    { role: 'system', content: request.system },
    ...request.messages.map((m) => ({ role: m.role, content: m.content })),
  ],
  max_completion_tokens: request.maxTokens ?? options.maxTokens,
  temperature: request.temperature ?? options.temperature,
  ...(request.json
    ? {
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.json.name, schema: request.json.schema, strict: true },
        },
      }
    : {}),
});

const resultOf = (completion: ChatCompletion, request: ChatRequest, fallbackModel: string): ChatResult => {
  const choice = completion.choices?.[0];
  if (!choice?.message) throw new LlmError('server', 'openai: response without choices');
  const finishReason = finishReasonOf(choice.finish_reason);
  const raw = choice.message.content ?? '';
  if (request.json && choice.message.refusal)
    throw new LlmError('invalid_output', `openai: model refused: ${choice.message.refusal}`);
  const text = request.json ? checkJsonOutput(raw, finishReason, 'openai') : raw;
  return {
    text,
    model: completion.model || fallbackModel,
    finishReason,
    ...(completion.usage
      ? {
          usage: {
            inputTokens: completion.usage.prompt_tokens,
            outputTokens: completion.usage.completion_tokens,
          },
        }
      : {}),
  };
};

/** OpenAI Chat Completions (or any endpoint speaking it, via baseURL). */
export const createOpenAiLlm = (options: OpenAiLlmOptions): LlmPort => {
  const client = new OpenAI(sdkClientOptions(options));

  async function* deltas(request: ChatRequest, signal: AbortSignal): AsyncGenerator<string> {
    const stream = await client.chat.completions.create(
      { ...params(options, request), stream: true },
      { signal },
    );
    let finished = false;
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) yield choice.delta.content;
      if (choice.finish_reason) finished = true;
    }
    // The SDK ends quietly when the body stops early; only a finish_reason proves the answer is whole.
    if (!finished) throw new LlmError('network', 'openai: stream ended before the model finished');
  }

  return sdkPort({
    provider: 'openai',
    options,
    classify,
    complete: async (request, signal) => {
      const completion = await client.chat.completions.create(
        { ...params(options, request), stream: false },
        { signal },
      );
      return resultOf(completion, request, options.model);
    },
    deltas,
  });
};
