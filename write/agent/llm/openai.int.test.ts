import { expect } from 'vitest';
import { startOpenAiStub } from '../../../test/stubs/openai-stub.ts';
import { createOpenAiLlm } from './openai.ts';
import { contractOptions, describeProviderContract, plainRequest } from './provider.contract.ts';

describeProviderContract({
  name: 'openai',
  startStub: startOpenAiStub,
  create: createOpenAiLlm,
  baseURL: (url) => `${url}/v1`,
  expectPlainRequest: (recorded) => {
    expect(recorded.path).toBe('/v1/chat/completions');
    expect(recorded.headers.authorization).toBe(`Bearer ${contractOptions.apiKey}`);
    expect(recorded.body).toMatchObject({
      model: contractOptions.model,
      temperature: contractOptions.temperature,
      max_completion_tokens: contractOptions.maxTokens,
      messages: [{ role: 'system', content: plainRequest.system }, ...plainRequest.messages],
    });
    expect(recorded.body.response_format).toBeUndefined();
  },
  expectJsonRequest: (recorded, schema) => {
    expect(recorded.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'insight', schema, strict: true },
    });
  },
});
