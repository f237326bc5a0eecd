import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkArguments } from './slack-validate.ts';

/** One request the stub received: a Web API method, or a POST to a response_url. */
export type SlackCall = {
  /** `chat.postMessage`, …; `response_url` for posts to /response/…. */
  method: string;
  /** The parameters (form or JSON); JSON-encoded form fields (blocks, chunks, view) are decoded. */
  body: Record<string, unknown>;
  /** The Authorization header (the token the client used). */
  auth: string | undefined;
  /** For response_url posts: the path's id. */
  path: string;
  at: number;
};

/** A message as the stub's Slack shows it now: posted (or streamed), then updated in place. */
export type StubMessage = {
  channel: string;
  ts: string;
  /** The thread it is in; null at the top level. */
  threadTs: string | null;
  text: string;
  blocks?: unknown;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  /** How it was made: `chat.postMessage` or `chat.startStream`. */
  madeBy: string;
  /** A stream started and not stopped yet (shown as still being written). */
  streaming: boolean;
  /** The stream was ended by Slack (expired), not by a stopStream. */
  expired: boolean;
  /** The `task_update` chunks the stream received, in order. */
  tasks: { id: string; title: string; status: string }[];
  updates: number;
  bot_id: string;
};

/** A scripted answer: a Slack body (`{ ok: false, error }`), or an HTTP status with headers (429). */
export type ScriptedAnswer =
  | { body: Record<string, unknown>; status?: number; headers?: Record<string, string> }
  | { status: number; headers?: Record<string, string>; body?: Record<string, unknown> };

export type SlackStub = {
  /** Base URL of the Web API, for SLACK_API_URL (ends with `/api/`). */
  apiUrl: string;
  /** A response_url on the stub: posts to it are recorded as method `response_url`. */
  responseUrl: (id: string) => string;
  calls: (method?: string) => SlackCall[];
  /** Waits until `count` calls match, then returns them. */
  waitFor: (
    method: string,
    predicate?: (call: SlackCall) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ) => Promise<SlackCall[]>;
  /** The next `times` calls of `method` get this answer (then the default again). */
  script: (method: string, answer: ScriptedAnswer, times?: number) => void;
  /** Every call of `method` gets this answer until `reset`. */
  always: (method: string, answer: ScriptedAnswer) => void;
  /** The locale users.info reports for a user (default `ja-JP`). */
  setLocale: (userId: string, locale: string) => void;
  /** More of what users.info reports for a user (`is_restricted`, `is_stranger`, `team_id`, …). */
  setUser: (userId: string, fields: Record<string, unknown>) => void;
  /** The bot's messages as shown now (each updated in place), in the order they were made. */
  messages: (channel?: string) => StubMessage[];
  /**
   * Streams expire like Slack's after about five minutes: each stream ends (Slack's side) after
   * this many accepted calls (its startStream and appendStream calls), and later appends or
   * stops answer `message_not_in_streaming_state`. Null: streams never expire (the default).
   */
  expireStreamsAfter: (calls: number | null) => void;
  /** Chunk types this workspace refuses (`invalid_chunks`), e.g. `task_update` without thinking steps. */
  refuseChunkTypes: (types: readonly string[]) => void;
  /** The thinking status an assistant thread shows now ('' when cleared or never set). */
  statusOf: (channel: string, threadTs: string) => string;
  /** What `apps.connections.open` answers with (Socket Mode): a WebSocket URL; unset = an error. */
  setSocketModeUrl: (url: string | null) => void;
  /** The members `usergroups.users.list` reports for a user group. */
  setUserGroup: (groupId: string, users: readonly string[]) => void;
  /** Serves more paths or methods (the OpenID Connect stub): answer, or null to fall through. */
  extend: (handler: StubExtension) => void;
  /** Base URL of the stub (`http://127.0.0.1:<port>`). */
  baseUrl: string;
  reset: () => void;
  close: () => Promise<void>;
};

/** An extra handler: gets every request (path, query, parameters) before the Web API's answers. */
export type StubExtension = (request: {
  method: string;
  url: URL;
  params: Record<string, unknown>;
}) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> } | null>;

let lastMicros = 0;
/**
 * A Slack message ts as Slack makes them: the time in microseconds, strictly increasing within
 * this process (the test's events and the stub's messages share it, so a reply sorts after the
 * message it answers, as in Slack).
 */
export const slackTsNow = (): string => {
  lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
  return `${Math.floor(lastMicros / 1_000_000)}.${String(lastMicros % 1_000_000).padStart(6, '0')}`;
};

export const stubTeam = { id: 'T0STUB', name: 'stub-team', botUserId: 'UBOT0STUB', botId: 'B0STUB' };

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

const jsonFields = new Set([
  'blocks',
  'chunks',
  'view',
  'attachments',
  'prompts',
  'loading_messages',
  'metadata',
]);

const parseParams = (raw: string, contentType: string | undefined): Record<string, unknown> => {
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { _raw: raw };
    }
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (jsonFields.has(key)) {
      try {
        params[key] = JSON.parse(value);
        continue;
      } catch {}
    }
    params[key] = value;
  }
  return params;
};

/**
 * A local stand-in for the Slack Web API (node:http on 127.0.0.1): answers like Slack does
 * (`{ ok: true, … }` with plausible fields, ts values that increase), records every call with its
 * parameters and token, and can be scripted to fail (`invalid_auth`, `invalid_blocks`, a 429 with
 * Retry-After). It also serves response_url posts.
 */
export const startSlackStub = async (): Promise<SlackStub> => {
  const calls: SlackCall[] = [];
  const scripts = new Map<string, { answer: ScriptedAnswer; times: number }[]>();
  const locales = new Map<string, string>();
  const userFields = new Map<string, Record<string, unknown>>();
  const messages: StubMessage[] = [];
  const byTs = new Map<string, StubMessage>();
  let socketModeUrl: string | null = null;
  let expireAfter: number | null = null;
  const appendsOf = new Map<string, number>();
  let refusedChunks = new Set<string>();
  const statuses = new Map<string, string>();
  const userGroups = new Map<string, readonly string[]>();
  const extensions: StubExtension[] = [];
  const nextTs = slackTsNow;
  const textOf = (params: Record<string, unknown>): string => {
    if (typeof params.text === 'string') return params.text;
    if (typeof params.markdown_text === 'string') return params.markdown_text;
    const chunks = params.chunks as { type?: string; text?: string }[] | undefined;
    return chunks?.map((c) => (c.type === 'markdown_text' ? (c.text ?? '') : '')).join('') ?? '';
  };
  const tasksOf = (params: Record<string, unknown>) =>
    ((params.chunks as { type?: string; id: string; title: string; status: string }[] | undefined) ?? [])
      .filter((c) => c.type === 'task_update')
      .map(({ id, title, status }) => ({ id, title, status }));
  const remember = (
    method: string,
    channel: string | undefined,
    ts: string,
    params: Record<string, unknown>,
  ) => {
    const message: StubMessage = {
      channel: channel ?? '',
      ts,
      threadTs: typeof params.thread_ts === 'string' ? params.thread_ts : null,
      text: textOf(params),
      ...(params.blocks ? { blocks: params.blocks } : {}),
      ...(params.metadata ? { metadata: params.metadata as StubMessage['metadata'] } : {}),
      madeBy: method,
      streaming: method === 'chat.startStream',
      expired: false,
      tasks: tasksOf(params),
      updates: 0,
      bot_id: stubTeam.botId,
    };
    messages.push(message);
    byTs.set(`${message.channel}/${ts}`, message);
  };
  const change = (channel: string | undefined, params: Record<string, unknown>, append: boolean) => {
    const message = byTs.get(`${channel}/${String(params.ts)}`);
    if (!message) return false;
    const text = textOf(params);
    message.text = append ? message.text + text : text || message.text;
    message.tasks.push(...tasksOf(params));
    if (params.blocks) message.blocks = params.blocks;
    if (params.metadata) message.metadata = params.metadata as StubMessage['metadata'];
    message.updates += 1;
    return true;
  };
  const listed = (found: StubMessage[], params: Record<string, unknown>) => {
    const oldest = params.oldest === undefined ? null : Number(params.oldest);
    const inclusive = params.inclusive === true || params.inclusive === 'true';
    const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
    return found
      .filter((m) => oldest === null || Number(m.ts) > oldest || (inclusive && Number(m.ts) === oldest))
      .map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        bot_id: m.bot_id,
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
        ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      }));
  };
  const waiters = new Set<() => void>();
  /** One more accepted start or append: the stream expires after `expireAfter` of them. */
  const countStreamCall = (stream: StubMessage) => {
    const accepted = (appendsOf.get(stream.ts) ?? 0) + 1;
    appendsOf.set(stream.ts, accepted);
    if (expireAfter !== null && accepted >= expireAfter) {
      stream.streaming = false;
      stream.expired = true;
    }
  };

  const defaultAnswer = (method: string, params: Record<string, unknown>): Record<string, unknown> => {
    const channel = (params.channel ?? params.channel_id) as string | undefined;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://stub.slack.com/',
          team: stubTeam.name,
          team_id: stubTeam.id,
          user: 'salesai',
          user_id: stubTeam.botUserId,
          bot_id: stubTeam.botId,
        };
      case 'chat.postMessage':
      case 'chat.startStream': {
        const ts = nextTs();
        remember(method, channel, ts, params);
        if (method === 'chat.startStream') countStreamCall(byTs.get(`${channel}/${ts}`)!);
        return { ok: true, channel, ts, message: { ts, text: params.text ?? '', bot_id: stubTeam.botId } };
      }
      case 'chat.update':
        if (!change(channel, params, false)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, ts: params.ts };
      case 'chat.appendStream': {
        const stream = byTs.get(`${channel}/${String(params.ts)}`);
        if (!stream) return { ok: false, error: 'message_not_found' };
        if (!stream.streaming) return { ok: false, error: 'message_not_in_streaming_state' };
        change(channel, params, true);
        countStreamCall(stream);
        return { ok: true, channel, ts: params.ts };
      }
      case 'chat.stopStream': {
        const stream = byTs.get(`${channel}/${String(params.ts)}`);
        if (!stream) return { ok: false, error: 'message_not_found' };
        if (!stream.streaming) return { ok: false, error: 'message_not_in_streaming_state' };
        change(channel, params, true);
        stream.streaming = false;
        return { ok: true, channel, ts: params.ts, message: { ts: params.ts } };
      }
      case 'assistant.threads.setStatus':
        statuses.set(`${channel}/${String(params.thread_ts)}`, String(params.status));
        return { ok: true };
      case 'conversations.history':
        return {
          ok: true,
          // Newest first, like Slack.
          messages: listed(
            messages.filter((m) => m.channel === channel && m.threadTs === null),
            params,
          ).reverse(),
          has_more: false,
        };
      case 'conversations.replies':
        return {
          ok: true,
          messages: listed(
            messages.filter((m) => m.channel === channel && m.threadTs === String(params.ts)),
            params,
          ),
          has_more: false,
        };
      case 'apps.connections.open':
        return socketModeUrl ? { ok: true, url: socketModeUrl } : { ok: false, error: 'invalid_auth' };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'conversations.open':
        return {
          ok: true,
          channel: {
            id: `D${String(params.users ?? 'X')
              .replace(/[^A-Z0-9]/g, '')
              .slice(0, 10)}`,
          },
        };
      case 'users.info': {
        const user = String(params.user ?? '');
        return {
          ok: true,
          user: {
            id: user,
            name: user.toLowerCase(),
            team_id: stubTeam.id,
            locale: locales.get(user) ?? 'ja-JP',
            ...userFields.get(user),
          },
        };
      }
      case 'usergroups.users.list': {
        const users = userGroups.get(String(params.usergroup ?? ''));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'views.publish':
      case 'views.open':
      case 'views.update':
        return { ok: true, view: { id: `V${nextTs().replace('.', '')}`, ...(params.view as object) } };
      default:
        return { ok: true };
    }
  };

  const answerFor = (method: string): ScriptedAnswer | null => {
    const queue = scripts.get(method);
    const head = queue?.[0];
    if (!queue || !head) return null;
    if (Number.isFinite(head.times)) {
      head.times -= 1;
      if (head.times <= 0) queue.shift();
    }
    return head.answer;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://stub');
      const params = parseParams(raw, req.headers['content-type']);
      const responseMatch = /^\/response\/(.+)$/.exec(url.pathname);
      const methodMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
      const method = responseMatch ? 'response_url' : (methodMatch?.[1] ?? url.pathname);
      calls.push({
        method,
        body: params,
        auth: req.headers.authorization,
        path: responseMatch?.[1] ?? '',
        at: Date.now(),
      });
      for (const wake of waiters) wake();
      for (const extension of extensions) {
        const answer = await extension({ method, url, params });
        if (answer) {
          res.writeHead(answer.status, {
            'content-type': 'application/json; charset=utf-8',
            ...answer.headers,
          });
          res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
          return;
        }
      }
      const scripted = answerFor(method);
      if (scripted) {
        send(
          res,
          scripted.status ?? 200,
          scripted.body ?? { ok: false, error: 'scripted' },
          scripted.headers,
        );
        return;
      }
      if (responseMatch) return send(res, 200, { ok: true });
      if (!methodMatch) return send(res, 404, { ok: false, error: 'unknown_method' });
      const refused = checkArguments(method, params, refusedChunks);
      if (refused) return send(res, 200, { ok: false, error: refused });
      send(res, 200, defaultAnswer(method, params));
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const matching = (method: string, predicate?: (call: SlackCall) => boolean) =>
    calls.filter((c) => c.method === method && (!predicate || predicate(c)));

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    calls: (method) => (method ? calls.filter((c) => c.method === method) : [...calls]),
    waitFor: (method, predicate, { count = 1, timeoutMs = 15_000 } = {}) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = matching(method, predicate);
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${count} × ${method} within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    script: (method, answer, times = 1) => {
      const queue = scripts.get(method) ?? [];
      queue.push({ answer, times });
      scripts.set(method, queue);
    },
    always: (method, answer) => {
      scripts.set(method, [{ answer, times: Number.POSITIVE_INFINITY }]);
    },
    setLocale: (userId, locale) => {
      locales.set(userId, locale);
    },
    setUser: (userId, fields) => {
      userFields.set(userId, { ...userFields.get(userId), ...fields });
    },
    messages: (channel) => messages.filter((m) => channel === undefined || m.channel === channel),
    setSocketModeUrl: (url) => {
      socketModeUrl = url;
    },
    expireStreamsAfter: (calls) => {
      expireAfter = calls;
    },
    refuseChunkTypes: (types) => {
      refusedChunks = new Set(types);
    },
    statusOf: (channel, threadTs) => statuses.get(`${channel}/${threadTs}`) ?? '',
    setUserGroup: (groupId, users) => {
      userGroups.set(groupId, users);
    },
    extend: (handler) => {
      extensions.push(handler);
    },
    baseUrl: base,
    reset: () => {
      expireAfter = null;
      appendsOf.clear();
      refusedChunks = new Set();
      statuses.clear();
      calls.length = 0;
      messages.length = 0;
      byTs.clear();
      scripts.clear();
      locales.clear();
      userFields.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
