import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../schemas/config.ts';
import { startAnthropicStub } from '../../../test/stubs/anthropic-stub.ts';
import { stubBehaviours as b, type LlmStub } from '../../../test/stubs/llm-stub-server.ts';
import { startOpenAiStub } from '../../../test/stubs/openai-stub.ts';
import { createLlm } from './factory.ts';
import { LlmError } from './port.ts';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const request = { system: 'coach', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('createLlm wires the environment into the provider', () => {
  let openai: LlmStub;
  let anthropic: LlmStub;
  beforeAll(async () => {
    [openai, anthropic] = await Promise.all([startOpenAiStub(), startAnthropicStub()]);
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close()]);
  });

  it('OpenAI: base URL, key, model, temperature, max tokens and timeout (seconds)', async () => {
    const env = parseEnv({
      OPENAI_API_KEY: 'sk-env',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_MODEL: 'gpt-env',
      LLM_TEMPERATURE: '0.2',
      LLM_MAX_TOKENS: '123',
      LLM_REQUEST_TIMEOUT: '1',
    });
    const llm = createLlm(env, { sdkLogger: silent });
    await llm.complete(request);
    expect(openai.requests[0]!.headers.authorization).toBe('Bearer sk-env');
    expect(openai.requests[0]!.body).toMatchObject({
      model: 'gpt-env',
      temperature: 0.2,
      max_completion_tokens: 123,
    });

    openai.script(b.hang());
    const error = await llm.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('timeout');
    // LLM_REQUEST_TIMEOUT is in seconds: the deadline that fired is the configured one.
    expect((error as LlmError).message).toContain('1000 ms');
  });

  it('Anthropic: base URL, key, model and max tokens', async () => {
    const env = parseEnv({
      LLM_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-ant-env',
      ANTHROPIC_BASE_URL: anthropic.url,
      LLM_MODEL: 'claude-env',
      LLM_MAX_TOKENS: '77',
    });
    const result = await createLlm(env, { sdkLogger: silent }).complete(request);
    expect(result.text).toBe('stub answer');
    expect(anthropic.requests[0]!.body).toMatchObject({
      model: 'claude-env',
      max_tokens: 77,
      system: 'coach',
    });
  });

  it('bounds a whole streamed answer by LLM_STREAM_TIMEOUT: a stream that stalls midway fails as a timeout', async () => {
    const env = parseEnv({
      OPENAI_API_KEY: 'sk-env',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_REQUEST_TIMEOUT: '30',
      LLM_STREAM_TIMEOUT: '1',
    });
    const llm = createLlm(env, { sdkLogger: silent });
    openai.script(b.stall(2));
    const received: string[] = [];
    const error = await (async () => {
      for await (const delta of llm.stream(request)) received.push(delta);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('timeout');
    expect((error as LlmError).message).toContain('streamed answer');
    expect(received.length).toBeGreaterThan(0);
    // One request: the spent time is not retried.
    expect(openai.requests.filter((r) => r.body.stream === true)).toHaveLength(1);
  });
});
