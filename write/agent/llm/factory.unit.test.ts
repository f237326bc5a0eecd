import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../schemas/config.ts';
import { createLlm } from './factory.ts';

describe('createLlm', () => {
  it('gives the mock coach without a key', () => {
    expect(createLlm(parseEnv({}))).toMatchObject({ provider: 'mock', model: 'mock-coach-1' });
  });

  it('gives OpenAI with a key, and the configured model', () => {
    const llm = createLlm(parseEnv({ OPENAI_API_KEY: 'sk-x', LLM_MODEL: 'gpt-4.1-mini' }));
    expect(llm).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini' });
  });

  it('gives Anthropic when asked, with its default model', () => {
    const llm = createLlm(parseEnv({ LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-x' }));
    expect(llm).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
  });

  it('honours USE_MOCK_LLM even with a key', () => {
    expect(createLlm(parseEnv({ USE_MOCK_LLM: 'true', OPENAI_API_KEY: 'sk-x' })).provider).toBe('mock');
  });
});
