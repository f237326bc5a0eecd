import type { ServerResponse } from 'node:http';
import {
  breakOff,
  defaultAnswerText,
  type LlmStub,
  type LlmStubOptions,
  pause,
  type RecordedRequest,
  type StubBehaviour,
  sendJson,
  sendMalformedJson,
  sendTruncatedJson,
  splitText,
  startLlmStub,
  startSse,
} from './llm-stub-server.ts';

export { type LlmStub, type RecordedRequest, type StubBehaviour, stubBehaviours } from './llm-stub-server.ts';

/**
 * A local OpenAI Chat Completions endpoint (`POST /v1/chat/completions`) for the real `openai`
 * SDK: point `baseURL` at `${stub.url}/v1`.
 */

const created = 1_767_225_600;

const modelOf = (request: RecordedRequest, behaviour: { model?: string }) =>
  behaviour.model ?? (typeof request.body.model === 'string' ? request.body.model : 'gpt-stub');

const errorBody = (status: number) => ({
  error: {
    message: status === 429 ? 'Rate limit reached' : `stub error ${status}`,
    type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    param: null,
  },
});

const completion = (request: RecordedRequest, behaviour: Extract<StubBehaviour, { kind: 'answer' }>) => {
  const text =
    behaviour.json !== undefined ? JSON.stringify(behaviour.json) : (behaviour.text ?? defaultAnswerText);
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created,
    model: modelOf(request, behaviour),
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        finish_reason: behaviour.finishReason ?? 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
};

const chunk = (request: RecordedRequest, delta: Record<string, unknown>, finishReason: string | null) => ({
  id: 'chatcmpl-stub',
  object: 'chat.completion.chunk',
  created,
  model: modelOf(request, {}),
  choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
});

const send = (res: ServerResponse, data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);

const deltasOf = (behaviour: { text?: string; chunks?: string[]; json?: unknown }) =>
  behaviour.chunks ??
  splitText(
    behaviour.json !== undefined ? JSON.stringify(behaviour.json) : (behaviour.text ?? defaultAnswerText),
  );

const respond = async (behaviour: StubBehaviour, request: RecordedRequest, res: ServerResponse) => {
  const streaming = request.body.stream === true;
  switch (behaviour.kind) {
    case 'status':
      sendJson(res, behaviour.status, behaviour.body ?? errorBody(behaviour.status), behaviour.headers);
      return;
    case 'malformed':
      if (!streaming) return sendMalformedJson(res);
      startSse(res);
      send(res, chunk(request, { role: 'assistant', content: '' }, null));
      res.end('data: {"id": "chatcmpl-stub", "choices": [{"delta": \n\n');
      return;
    case 'truncate': {
      if (!streaming)
        return sendTruncatedJson(res, completion(request, { kind: 'answer', text: behaviour.text }));
      startSse(res);
      send(res, chunk(request, { role: 'assistant', content: '' }, null));
      for (const piece of deltasOf(behaviour).slice(0, behaviour.after ?? 2))
        send(res, chunk(request, { content: piece }, null));
      breakOff(res, behaviour.how);
      return;
    }
    case 'answer': {
      if (!streaming) {
        await pause(behaviour.firstTokenMs);
        return sendJson(res, 200, completion(request, behaviour));
      }
      startSse(res);
      send(res, chunk(request, { role: 'assistant', content: '' }, null));
      await pause(behaviour.firstTokenMs);
      for (const [i, piece] of deltasOf(behaviour).entries()) {
        if (i > 0) await pause(behaviour.chunkMs);
        await pause(behaviour.paceMs);
        // The client went away (its process was killed): stop writing.
        if (res.destroyed) return;
        send(res, chunk(request, { content: piece }, null));
      }
      send(res, chunk(request, {}, behaviour.finishReason ?? 'stop'));
      const options = request.body.stream_options as { include_usage?: boolean } | undefined;
      if (options?.include_usage)
        send(res, {
          ...chunk(request, {}, null),
          choices: [],
          usage: { prompt_tokens: 11, completion_tokens: 7 },
        });
      res.end('data: [DONE]\n\n');
      return;
    }
    case 'stall': {
      if (!streaming) return;
      startSse(res);
      send(res, chunk(request, { role: 'assistant', content: '' }, null));
      for (const piece of deltasOf({}).slice(0, behaviour.after ?? 2))
        send(res, chunk(request, { content: piece }, null));
      return;
    }
    case 'hang':
      return;
  }
};

export const startOpenAiStub = (options: LlmStubOptions = {}): Promise<LlmStub> =>
  startLlmStub('/v1/chat/completions', respond, options);
