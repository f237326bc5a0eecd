import { type Env, llmChoice } from '../../../schemas/config.ts';
import { createAnthropicLlm } from './anthropic.ts';
import { withStreamDeadline } from './deadline.ts';
import { createMockLlm } from './mock.ts';
import { createOpenAiLlm } from './openai.ts';
import type { LlmPort } from './port.ts';
import type { ProviderOptions } from './provider-options.ts';

export type LlmFactoryOverrides = Pick<ProviderOptions, 'retry' | 'sdkLogger' | 'gate'>;

/**
 * The LLM the environment asks for; no key (or USE_MOCK_LLM) means the deterministic mock coach.
 * A streamed answer as a whole takes at most LLM_STREAM_TIMEOUT.
 */
export const createLlm = (env: Env, overrides: LlmFactoryOverrides = {}): LlmPort =>
  withStreamDeadline(createProviderLlm(env, overrides), Math.round(env.LLM_STREAM_TIMEOUT * 1000));

const createProviderLlm = (env: Env, overrides: LlmFactoryOverrides): LlmPort => {
  const choice = llmChoice(env);
  const common = {
    model: choice.model,
    temperature: env.LLM_TEMPERATURE,
    maxTokens: env.LLM_MAX_TOKENS,
    timeoutMs: Math.round(env.LLM_REQUEST_TIMEOUT * 1000),
    ...overrides,
  };
  switch (choice.provider) {
    case 'openai':
      return createOpenAiLlm({ ...common, apiKey: env.OPENAI_API_KEY ?? '', baseURL: env.OPENAI_BASE_URL });
    case 'anthropic':
      return createAnthropicLlm({
        ...common,
        apiKey: env.ANTHROPIC_API_KEY ?? '',
        baseURL: env.ANTHROPIC_BASE_URL,
      });
    case 'mock':
      return createMockLlm({ model: choice.model });
  }
};
