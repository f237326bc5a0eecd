import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The part both LLM provider stubs share: a real HTTP server on 127.0.0.1, a queue of scripted
 * behaviours (one per request, then the default answer), and a record of every request received.
 */

export type StubBehaviour =
  /** A normal answer: JSON, or SSE when the request asked for `stream: true`. */
  | {
      kind: 'answer';
      text?: string;
      chunks?: string[];
      json?: unknown;
      finishReason?: string;
      model?: string;
      /** Streams only: the pause before each delta, like a model writing (keeps replies in flight). */
      paceMs?: number;
      /** A model's latency: this long before the first token (or the whole answer, unstreamed). */
      firstTokenMs?: number;
      /** Streams: this long between deltas. */
      chunkMs?: number;
    }
  /** An HTTP error such as 429 (with `retry-after`) or 500. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers (until the client gives up or the stub closes). */
  | { kind: 'hang' }
  /** Streams `after` content deltas, then sends nothing more and keeps the connection open. */
  | { kind: 'stall'; after?: number }
  /**
   * Breaks off after `after` content deltas (streams) or half the body: `reset` destroys the
   * socket, `end` ends the response cleanly but early (no final events).
   */
  | { kind: 'truncate'; after?: number; how?: 'reset' | 'end'; text?: string }
  /** 200 with a body that is not valid JSON (or an SSE event whose data is not). */
  | { kind: 'malformed' };

export type RecordedRequest = {
  /** performance.now() when the request arrived: compare requests to each other. */
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
};

export type LlmStub = {
  url: string;
  requests: RecordedRequest[];
  /** Queues behaviours for the next requests, in order; afterwards the default answer. */
  script(...behaviours: StubBehaviour[]): void;
  /** What a request gets when nothing is scripted (initially a plain, immediate answer). */
  setDefault(behaviour: StubBehaviour): void;
  /** Requests being answered now, and the most at once since the stub started. */
  inFlight(): { now: number; peak: number };
  /** Forgets recorded requests and unused behaviours (between tests). */
  reset(): void;
  close(): Promise<void>;
};

export type StubResponder = (
  behaviour: StubBehaviour,
  request: RecordedRequest,
  res: ServerResponse,
) => void | Promise<void>;

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const defaultAnswerText = 'stub answer';

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

/** Half a body with a full content-length, then a reset: the client sees the connection die mid-body. */
export const sendTruncatedJson = (res: ServerResponse, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.write(text.slice(0, Math.floor(text.length / 2)));
  setTimeout(() => res.socket?.destroy(), 20);
};

export const sendMalformedJson = (res: ServerResponse) => {
  const text = '{"id": "broken", "choices": [{"message": {"content": "half';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export const startSse = (res: ServerResponse) => {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
};

/** Ends a stream early, either by cutting the connection or by a clean but premature end. */
export const breakOff = (res: ServerResponse, how: 'reset' | 'end' = 'reset') => {
  // A short pause lets the deltas already written reach the client before the cut.
  setTimeout(() => (how === 'reset' ? res.socket?.destroy() : res.end()), 30);
};

export const pause = (ms: number | undefined) =>
  ms ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

export const splitText = (text: string, pieces = 3): string[] => {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length > 0 ? out : [''];
};

export type LlmStubOptions = {
  /** The behaviour when nothing is scripted; the plain default answer otherwise. */
  fallback?: (request: RecordedRequest) => StubBehaviour;
};

export const startLlmStub = async (
  path: string,
  respond: StubResponder,
  options: LlmStubOptions = {},
): Promise<LlmStub> => {
  const queue: StubBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: StubBehaviour = { kind: 'answer' };
  let inFlight = 0;
  let peak = 0;
  const server = createServer(async (req, res) => {
    const at = performance.now();
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.on('close', () => {
      inFlight--;
    });
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {}
    const recorded: RecordedRequest = {
      at,
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      headers: req.headers,
      body,
    };
    requests.push(recorded);
    if (recorded.method !== 'POST' || recorded.path !== path) {
      sendJson(res, 404, { error: { message: `no route ${recorded.method} ${recorded.path}` } });
      return;
    }
    const behaviour = queue.shift() ?? options.fallback?.(recorded) ?? fallback;
    if (behaviour.kind === 'hang') return;
    await respond(behaviour, recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    inFlight: () => ({ now: inFlight, peak }),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Shorthands for the behaviours tests script most. */
export const stubBehaviours = {
  answer: (text: string): StubBehaviour => ({ kind: 'answer', text }),
  json: (json: unknown): StubBehaviour => ({ kind: 'answer', json }),
  rateLimited: (retryAfterSeconds: number): StubBehaviour => ({
    kind: 'status',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  rateLimitedMs: (retryAfterMs: number): StubBehaviour => ({
    kind: 'status',
    status: 429,
    headers: { 'retry-after-ms': String(retryAfterMs) },
  }),
  serverError: (status = 500): StubBehaviour => ({ kind: 'status', status }),
  hang: (): StubBehaviour => ({ kind: 'hang' }),
  stall: (after = 2): StubBehaviour => ({ kind: 'stall', after }),
  truncate: (how: 'reset' | 'end' = 'reset', after = 2): StubBehaviour => ({ kind: 'truncate', how, after }),
  malformed: (): StubBehaviour => ({ kind: 'malformed' }),
} as const;
