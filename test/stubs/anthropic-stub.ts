import type { ServerResponse } from 'node:http';
import {
  breakOff,
  defaultAnswerText,
  type LlmStub,
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
 * A local Anthropic Messages endpoint (`POST /v1/messages`) for the real `@anthropic-ai/sdk`:
 * point `baseURL` at `stub.url`. A request that forces a tool gets a `tool_use` answer whose input
 * is the scripted `json` (or the scripted text parsed as JSON).
 */

type Answer = Extract<StubBehaviour, { kind: 'answer' }>;

const modelOf = (request: RecordedRequest, behaviour: { model?: string }) =>
  behaviour.model ?? (typeof request.body.model === 'string' ? request.body.model : 'claude-stub');

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const errorBody = (status: number) => ({
  type: 'error',
  error: { type: errorTypes[status] ?? 'api_error', message: `stub error ${status}` },
});

const forcedTool = (request: RecordedRequest): string | undefined => {
  const choice = request.body.tool_choice as { type?: string; name?: string } | undefined;
  return choice?.type === 'tool' ? choice.name : undefined;
};

/** The scripted tool input, or undefined when the scripted text is prose (the model ignored the tool). */
const toolInput = (behaviour: Answer): unknown => {
  if (behaviour.json !== undefined) return behaviour.json;
  try {
    return JSON.parse(behaviour.text ?? '{}');
  } catch {
    return undefined;
  }
};

const usage = { input_tokens: 13, output_tokens: 9 };

const message = (request: RecordedRequest, behaviour: Answer) => {
  const tool = toolInput(behaviour) === undefined ? undefined : forcedTool(request);
  return {
    id: 'msg_stub',
    type: 'message',
    role: 'assistant',
    model: modelOf(request, behaviour),
    content: tool
      ? [{ type: 'tool_use', id: 'toolu_stub', name: tool, input: toolInput(behaviour) }]
      : [{ type: 'text', text: behaviour.text ?? defaultAnswerText }],
    stop_reason: behaviour.finishReason ?? (tool ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage,
  };
};

const send = (res: ServerResponse, event: string, data: unknown) =>
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

const start = (
  res: ServerResponse,
  request: RecordedRequest,
  behaviour: { model?: string },
  tool?: string,
) => {
  startSse(res);
  send(res, 'message_start', {
    type: 'message_start',
    message: {
      id: 'msg_stub',
      type: 'message',
      role: 'assistant',
      model: modelOf(request, behaviour),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
    },
  });
  send(res, 'content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: tool
      ? { type: 'tool_use', id: 'toolu_stub', name: tool, input: {} }
      : { type: 'text', text: '' },
  });
  send(res, 'ping', { type: 'ping' });
};

const delta = (res: ServerResponse, piece: string, tool: boolean) =>
  send(res, 'content_block_delta', {
    type: 'content_block_delta',
    index: 0,
    delta: tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece },
  });

const piecesOf = (
  request: RecordedRequest,
  behaviour: Answer | Extract<StubBehaviour, { kind: 'truncate' }>,
) => {
  if ('chunks' in behaviour && behaviour.chunks) return behaviour.chunks;
  const answer: Answer = {
    kind: 'answer',
    ...('json' in behaviour ? { json: behaviour.json } : {}),
    text: behaviour.text,
  };
  const input = forcedTool(request) ? toolInput(answer) : undefined;
  return splitText(input !== undefined ? JSON.stringify(input) : (behaviour.text ?? defaultAnswerText));
};

const respond = (behaviour: StubBehaviour, request: RecordedRequest, res: ServerResponse) => {
  const streaming = request.body.stream === true;
  const prose = behaviour.kind === 'answer' && toolInput(behaviour) === undefined;
  const tool = prose ? undefined : forcedTool(request);
  switch (behaviour.kind) {
    case 'status':
      sendJson(res, behaviour.status, behaviour.body ?? errorBody(behaviour.status), behaviour.headers);
      return;
    case 'malformed':
      if (!streaming) return sendMalformedJson(res);
      start(res, request, {}, tool);
      res.end('event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": \n\n');
      return;
    case 'truncate':
      if (!streaming)
        return sendTruncatedJson(
          res,
          message(request, { kind: 'answer', text: behaviour.text ?? defaultAnswerText }),
        );
      start(res, request, {}, tool);
      for (const piece of piecesOf(request, behaviour).slice(0, behaviour.after ?? 2))
        delta(res, piece, !!tool);
      breakOff(res, behaviour.how);
      return;
    case 'answer': {
      if (!streaming) return sendJson(res, 200, message(request, behaviour));
      start(res, request, behaviour, tool);
      for (const piece of piecesOf(request, behaviour)) delta(res, piece, !!tool);
      send(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
      send(res, 'message_delta', {
        type: 'message_delta',
        delta: {
          stop_reason: behaviour.finishReason ?? (tool ? 'tool_use' : 'end_turn'),
          stop_sequence: null,
        },
        usage: { output_tokens: usage.output_tokens },
      });
      send(res, 'message_stop', { type: 'message_stop' });
      res.end();
      return;
    }
    case 'hang':
      return;
  }
};

export const startAnthropicStub = (): Promise<LlmStub> => startLlmStub('/v1/messages', respond);
