import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  stubBehaviours as b,
  type LlmStub,
  type RecordedRequest,
} from '../../../test/stubs/llm-stub-server.ts';
import { type ChatRequest, LlmError, type LlmPort } from './port.ts';
import type { ProviderOptions } from './provider-options.ts';

/**
 * What every SDK provider must do against a local stub of its wire format, through the real SDK.
 * Each provider's *.int.test.ts runs it with its own stub and its own wire-level assertions.
 */
export type ProviderContract = {
  name: string;
  startStub: () => Promise<LlmStub>;
  create: (options: ProviderOptions) => LlmPort;
  /** The SDK's baseURL for a stub at `url`. */
  baseURL: (url: string) => string;
  /** Wire-level checks of a recorded plain request made with `contractOptions` and `plainRequest`. */
  expectPlainRequest: (recorded: RecordedRequest) => void;
  /** Wire-level checks of a recorded JSON-mode request. */
  expectJsonRequest: (recorded: RecordedRequest, schema: Record<string, unknown>) => void;
};

export const contractOptions = {
  apiKey: 'sk-test-key-123',
  model: 'contract-model',
  temperature: 0.3,
  maxTokens: 321,
  timeoutMs: 5_000,
  // Short backoff keeps the suite fast; retry-after is still honoured as sent.
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
  random: () => 0.5,
  // The SDKs log malformed events before throwing; the tests assert on the thrown error instead.
  sdkLogger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} },
} satisfies Omit<ProviderOptions, 'baseURL'>;

export const plainRequest: ChatRequest = {
  system: 'あなたは営業コーチです。',
  messages: [{ role: 'user', content: '「高い」と言われました。' }],
};

const insightSchema = {
  type: 'object',
  properties: { summary: { type: 'string' }, score: { type: 'integer' } },
  required: ['summary', 'score'],
  additionalProperties: false,
};

const collect = async (iterable: AsyncIterable<string>) => {
  const deltas: string[] = [];
  let error: unknown;
  try {
    for await (const delta of iterable) deltas.push(delta);
  } catch (e) {
    error = e;
  }
  return { deltas, error };
};

const llmErrorOf = async (promise: Promise<unknown>): Promise<LlmError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }
  throw new Error('expected an LlmError, got a result');
};

export const describeProviderContract = (contract: ProviderContract) =>
  describe(`${contract.name} provider against its wire-format stub`, () => {
    let stub: LlmStub;
    let llm: LlmPort;
    const make = (overrides: Partial<ProviderOptions> = {}) =>
      contract.create({ ...contractOptions, baseURL: contract.baseURL(stub.url), ...overrides });

    beforeAll(async () => {
      stub = await contract.startStub();
    });
    afterAll(async () => {
      await stub.close();
    });
    beforeEach(() => {
      stub.reset();
      llm = make();
    });

    it('completes a chat and sends model, limits, system prompt and key', async () => {
      stub.script(b.answer('まず「何と比べて高いか」を伺いましょう。'));
      const result = await llm.complete(plainRequest);
      expect(result).toMatchObject({
        text: 'まず「何と比べて高いか」を伺いましょう。',
        model: 'contract-model',
        finishReason: 'stop',
      });
      expect(result.usage?.inputTokens).toBeGreaterThan(0);
      expect(stub.requests).toHaveLength(1);
      contract.expectPlainRequest(stub.requests[0]!);
    });

    it('streams a completion as deltas that assemble into the whole text', async () => {
      const text = '価格の反論には、まず受け止めてから比較対象を聞きます。';
      stub.script(b.answer(text));
      const { deltas, error } = await collect(llm.stream(plainRequest));
      expect(error).toBeUndefined();
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(text);
      expect(stub.requests[0]!.body.stream).toBe(true);
    });

    it('returns JSON output as text when a schema is given', async () => {
      stub.script(b.json({ summary: 'よくできました', score: 4 }));
      const result = await llm.complete({
        ...plainRequest,
        json: { name: 'insight', schema: insightSchema },
      });
      expect(JSON.parse(result.text)).toEqual({ summary: 'よくできました', score: 4 });
      contract.expectJsonRequest(stub.requests[0]!, insightSchema);
    });

    it('streams JSON output too', async () => {
      stub.script(b.json({ summary: 'ok', score: 3 }));
      const { deltas, error } = await collect(
        llm.stream({ ...plainRequest, json: { name: 'insight', schema: insightSchema } }),
      );
      expect(error).toBeUndefined();
      expect(JSON.parse(deltas.join(''))).toEqual({ summary: 'ok', score: 3 });
    });

    it('rejects prose where JSON was asked for as invalid_output, without retrying', async () => {
      stub.script(b.answer('Sure! Here is your JSON: {"summary": '));
      const error = await llmErrorOf(
        llm.complete({ ...plainRequest, json: { name: 'insight', schema: insightSchema } }),
      );
      expect(error.kind).toBe('invalid_output');
      expect(stub.requests).toHaveLength(1);
    });

    /** A provider whose waits between attempts are recorded and skipped: no clock in the test. */
    const recordingWaits = () => {
      const waits: number[] = [];
      const provider = make({
        wait: async (ms) => {
          waits.push(ms);
        },
      });
      return { waits, provider };
    };

    it('waits as long as retry-after says after a 429, once, then succeeds', async () => {
      stub.script(b.rateLimited(1), b.answer('after the wait'));
      const { waits, provider } = recordingWaits();
      const result = await provider.complete(plainRequest);
      expect(result.text).toBe('after the wait');
      expect(stub.requests).toHaveLength(2);
      expect(waits).toEqual([1_000]);
    });

    it('honours retry-after-ms as well', async () => {
      stub.script(b.rateLimitedMs(250), b.answer('ok'));
      const { waits, provider } = recordingWaits();
      await provider.complete(plainRequest);
      expect(waits).toEqual([250]);
    });

    it('waits for real between attempts when no wait is injected', async () => {
      stub.script(b.rateLimitedMs(20), b.answer('ok'));
      expect((await llm.complete(plainRequest)).text).toBe('ok');
      expect(stub.requests).toHaveLength(2);
    });

    it('gives up with kind server after max attempts of 500', async () => {
      stub.script(b.serverError(), b.serverError(), b.serverError(), b.answer('too late'));
      const error = await llmErrorOf(llm.complete(plainRequest));
      expect(error).toMatchObject({ kind: 'server', retryable: true, status: 500, attempts: 3 });
      expect(stub.requests).toHaveLength(3);
    });

    it('honours a configured number of attempts', async () => {
      stub.script(b.serverError(503), b.serverError(503), b.answer('unused'));
      const error = await llmErrorOf(
        make({ retry: { maxAttempts: 2, baseDelayMs: 5 } }).complete(plainRequest),
      );
      expect(error.kind).toBe('server');
      expect(stub.requests).toHaveLength(2);
    });

    it('does not retry a 401: kind auth', async () => {
      stub.script(b.serverError(401));
      const error = await llmErrorOf(llm.complete(plainRequest));
      expect(error).toMatchObject({ kind: 'auth', retryable: false });
      expect(stub.requests).toHaveLength(1);
    });

    it('times out a hanging server with kind timeout after the configured time', async () => {
      stub.script(b.hang());
      const error = await llmErrorOf(make({ timeoutMs: 300 }).complete(plainRequest));
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain('300 ms');
      expect(stub.requests).toHaveLength(1);
    });

    it('times out a stream that never starts', async () => {
      stub.script(b.hang());
      const { deltas, error } = await collect(make({ timeoutMs: 300 }).stream(plainRequest));
      expect(deltas).toEqual([]);
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).kind).toBe('timeout');
    });

    it('surfaces a stream whose connection is reset mid-way as an error, not a short success', async () => {
      stub.script(b.truncate('reset', 2));
      const { deltas, error } = await collect(llm.stream(plainRequest));
      expect(deltas.length).toBe(2);
      expect(error).toBeInstanceOf(LlmError);
      expect(['network', 'server']).toContain((error as LlmError).kind);
      // Text already reached the consumer: a retry would repeat it.
      expect(stub.requests).toHaveLength(1);
    });

    it('surfaces a stream that ends cleanly but early as an error', async () => {
      stub.script(b.truncate('end', 1));
      const { deltas, error } = await collect(llm.stream(plainRequest));
      expect(deltas.length).toBe(1);
      expect(error).toBeInstanceOf(LlmError);
      expect(['network', 'server']).toContain((error as LlmError).kind);
    });

    it('surfaces a non-streamed body cut mid-way as an error, retried like any network failure', async () => {
      stub.script(b.truncate('reset'), b.answer('second try'));
      const result = await llm.complete(plainRequest);
      expect(result.text).toBe('second try');
      expect(stub.requests).toHaveLength(2);
    });

    it('retries a stream that failed before its first delta', async () => {
      stub.script(b.serverError(502), b.answer('streamed after a retry'));
      const { deltas, error } = await collect(llm.stream(plainRequest));
      expect(error).toBeUndefined();
      expect(deltas.join('')).toBe('streamed after a retry');
      expect(stub.requests).toHaveLength(2);
    });

    it('maps a malformed JSON body to an LlmError', async () => {
      stub.script(b.malformed(), b.malformed(), b.malformed());
      const error = await llmErrorOf(llm.complete(plainRequest));
      expect(['server', 'invalid_output']).toContain(error.kind);
    });

    it('maps a malformed SSE event to an LlmError', async () => {
      stub.script(b.malformed(), b.malformed(), b.malformed());
      const { error } = await collect(llm.stream(plainRequest));
      expect(error).toBeInstanceOf(LlmError);
      expect(['server', 'invalid_output', 'network']).toContain((error as LlmError).kind);
    });

    it('stops at once with kind aborted when the caller aborts', async () => {
      stub.script(b.hang());
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await llmErrorOf(llm.complete({ ...plainRequest, signal: controller.signal }));
      expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    });
  });
