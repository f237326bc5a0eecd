import { expect } from 'vitest';
import { startAnthropicStub } from '../../../test/stubs/anthropic-stub.ts';
import { createAnthropicLlm } from './anthropic.ts';
import { contractOptions, describeProviderContract, plainRequest } from './provider.contract.ts';

describeProviderContract({
  name: 'anthropic',
  startStub: startAnthropicStub,
  create: createAnthropicLlm,
  baseURL: (url) => url,
  expectPlainRequest: (recorded) => {
    expect(recorded.path).toBe('/v1/messages');
    // SDK 1.x sends the key as a bearer token (the API also accepts x-api-key).
    const auth = recorded.headers['x-api-key'] ?? recorded.headers.authorization;
    expect(String(auth)).toContain(contractOptions.apiKey);
    expect(recorded.headers['anthropic-version']).toBeTruthy();
    expect(recorded.body).toMatchObject({
      model: contractOptions.model,
      max_tokens: contractOptions.maxTokens,
      system: plainRequest.system,
      messages: plainRequest.messages,
    });
    // API version 2026-10-21 rejects sampling parameters.
    expect(recorded.body.temperature).toBeUndefined();
    expect(recorded.body.tools).toBeUndefined();
  },
  expectJsonRequest: (recorded, schema) => {
    expect(recorded.body.tool_choice).toEqual({ type: 'tool', name: 'insight' });
    expect(recorded.body.tools).toEqual([expect.objectContaining({ name: 'insight', input_schema: schema })]);
  },
});
