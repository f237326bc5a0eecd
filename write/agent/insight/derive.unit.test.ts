import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../schemas/logger.ts';
import { type ChatRequest, type ChatResult, LlmError, type LlmPort } from '../llm/port.ts';
import { buildInsightRequest } from '../prompt/build.ts';
import { deriveInsight } from './derive.ts';
import { promptHash } from './prompt-hash.ts';

/** A scripted LLM: each call takes the next answer (text, or an error to throw). */
const scripted = (...answers: (string | Error)[]) => {
  const requests: ChatRequest[] = [];
  const llm: LlmPort = {
    provider: 'openai',
    model: 'gpt-test',
    complete: async (request): Promise<ChatResult> => {
      requests.push(request);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no more scripted answers');
      if (answer instanceof Error) throw answer;
      return { text: answer, model: 'gpt-test-2025', finishReason: 'stop' };
    },
    stream: () => {
      throw new Error('not used');
    },
  };
  return { llm, requests };
};

const counting = () => {
  const failures: string[] = [];
  return {
    failures,
    metrics: { llmFailure: (_: string, reason: string) => failures.push(reason), eventFailed: () => {} },
  };
};

const valid = {
  scores: { hearing: 3, proposal: 2, objection_handling: 4, closing: 1, relationship: 5 },
  strengths: [' 反論を受け止めている '],
  improvements: ['次回の日程を決めていない'],
  nextActions: ['商談の最後に次回の日程を決める'],
  summary: '反論処理は良好。',
};

const request = buildInsightRequest({
  transcript: [{ role: 'user', content: '価格が高いと言われました' }],
  task: 'insight',
  language: 'ja',
  persona: null,
});

describe('insight derivation', () => {
  it('returns a valid insight, trimmed, with the model that judged', async () => {
    const { llm } = scripted(JSON.stringify(valid));
    const { metrics, failures } = counting();
    const result = await deriveInsight(llm, request, { logger: silentLogger, metrics });
    expect(result).toEqual({
      ok: true,
      model: 'gpt-test-2025',
      provider: 'openai',
      // The hash of what was sent, so the score can be traced and asked again.
      promptHash: promptHash(request, { provider: 'openai', model: 'gpt-test-2025' }),
      insight: { ...valid, strengths: ['反論を受け止めている'] },
    });
    expect(failures).toEqual([]);
  });

  it('asks once more after invalid output, showing the model what was wrong', async () => {
    const { llm, requests } = scripted(
      JSON.stringify({ ...valid, scores: { ...valid.scores, closing: 9 } }),
      JSON.stringify(valid),
    );
    const result = await deriveInsight(llm, request, { logger: silentLogger, metrics: counting().metrics });
    expect(result.ok).toBe(true);
    expect(requests).toHaveLength(2);
    const retry = requests[1]!.messages;
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: expect.stringContaining('"closing":9') });
    expect(retry.at(-1)!.content).toMatch(/スキーマに合いません.*closing/);
    expect(requests[1]!.json).toEqual(request.json);
  });

  it('gives up after invalid output twice: nothing to record, counted as an LLM failure', async () => {
    const { llm, requests } = scripted('not json at all', JSON.stringify({ ...valid, summary: '  ' }));
    const { metrics, failures } = counting();
    const result = await deriveInsight(llm, request, { logger: silentLogger, metrics });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_output' });
    expect(requests).toHaveLength(2);
    expect(failures).toEqual(['invalid_output']);
  });

  it("retries the port's invalid_output (JSON cut off) like invalid output", async () => {
    const { llm } = scripted(new LlmError('invalid_output', 'cut off'), JSON.stringify(valid));
    expect(
      (await deriveInsight(llm, request, { logger: silentLogger, metrics: counting().metrics })).ok,
    ).toBe(true);
  });

  it('does not retry a transport failure (the port already did)', async () => {
    const { llm, requests } = scripted(new LlmError('server', 'HTTP 500', { attempts: 3 }));
    const { metrics, failures } = counting();
    const result = await deriveInsight(llm, request, { logger: silentLogger, metrics });
    expect(result).toMatchObject({ ok: false, reason: 'server' });
    expect(requests).toHaveLength(1);
    expect(failures).toEqual(['server']);
  });

  it('lets an abort through', async () => {
    const { llm } = scripted(new LlmError('aborted', 'stop'));
    await expect(
      deriveInsight(llm, request, { logger: silentLogger, metrics: counting().metrics }),
    ).rejects.toThrow(LlmError);
  });
});
