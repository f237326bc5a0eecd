import Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsBase,
  RawMessageStreamEvent,
  StopReason,
} from '@anthropic-ai/sdk/resources/messages';
import { toLlmError } from './errors.ts';
import { checkJsonOutput } from './json-output.ts';
import type { ChatRequest, ChatResult, FinishReason, LlmPort } from './port.ts';
import { LlmError } from './port.ts';
import { type ProviderOptions, sdkClientOptions, sdkPort } from './provider-options.ts';

export type AnthropicLlmOptions = ProviderOptions;

const classify = (error: unknown) => toLlmError(error, Anthropic, 'anthropic');

/** Tool names allow letters, digits, `_` and `-` only. */
const toolName = (name: string) => name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';

const finishReasonOf = (reason: StopReason | null | undefined, json: boolean): FinishReason => {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  // With a forced tool the tool call *is* the answer.
  if (reason === 'tool_use' && json) return 'stop';
  if (reason === 'max_tokens') return 'length';
  return 'other';
};

/**
 * JSON output goes through one forced tool whose input_schema is the caller's schema: every
 * Claude model honours tool schemas, and the tool input is the JSON we return.
 */
const params = (options: AnthropicLlmOptions, request: ChatRequest): MessageCreateParamsBase => ({
  model: options.model,
  system: request.json
    ? `${request.system}\n\nAnswer only by calling the tool \`${toolName(request.json.name)}\` with the complete result.`
    : request.system,
  messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  max_tokens: request.maxTokens ?? options.maxTokens,
  // No temperature: API version 2026-10-21 (what SDK 1.x sends) rejects sampling parameters with a 400.
  ...(request.json
    ? {
        tools: [
          {
            name: toolName(request.json.name),
            description: `Record the ${request.json.name} result.`,
            input_schema: { type: 'object', ...request.json.schema },
          },
        ],
        tool_choice: { type: 'tool', name: toolName(request.json.name) },
      }
    : {}),
});

const textOf = (message: Message, request: ChatRequest): string => {
  if (request.json) {
    const call = message.content.find((block) => block.type === 'tool_use');
    if (call && 'input' in call) return JSON.stringify(call.input);
    // Some gateways ignore tool_choice and answer in prose; the JSON check below judges it.
  }
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
};

const resultOf = (message: Message, request: ChatRequest, fallbackModel: string): ChatResult => {
  if (!Array.isArray(message?.content)) throw new LlmError('server', 'anthropic: response without content');
  const finishReason = finishReasonOf(message.stop_reason, !!request.json);
  const raw = textOf(message, request);
  return {
    text: request.json ? checkJsonOutput(raw, finishReason, 'anthropic') : raw,
    model: message.model || fallbackModel,
    finishReason,
    ...(message.usage
      ? { usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens } }
      : {}),
  };
};

/** Anthropic Messages API (or a compatible endpoint via baseURL). */
export const createAnthropicLlm = (options: AnthropicLlmOptions): LlmPort => {
  const client = new Anthropic(sdkClientOptions(options));

  async function* deltas(request: ChatRequest, signal: AbortSignal): AsyncGenerator<string> {
    const stream = await client.messages.create({ ...params(options, request), stream: true }, { signal });
    let stopped = false;
    for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
      if (event.type === 'content_block_delta') {
        if (event.delta.type === 'text_delta') yield event.delta.text;
        else if (event.delta.type === 'input_json_delta' && request.json) yield event.delta.partial_json;
      } else if (event.type === 'message_stop') {
        stopped = true;
      }
    }
    // The SDK ends quietly when the body stops early; only message_stop proves the answer is whole.
    if (!stopped) throw new LlmError('network', 'anthropic: stream ended before message_stop');
  }

  return sdkPort({
    provider: 'anthropic',
    options,
    classify,
    complete: async (request, signal) => {
      const message = await client.messages.create(
        { ...params(options, request), stream: false },
        { signal },
      );
      return resultOf(message, request, options.model);
    },
    deltas,
  });
};
