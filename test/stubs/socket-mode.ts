import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A local stand-in for Slack's Socket Mode server: a WebSocket server (RFC 6455, written here
 * on node:http's upgrade: text frames, ping/pong, close) speaking Slack's protocol — `hello` on
 * connect, envelopes (`events_api`, `slash_commands`, `interactive`) with an `envelope_id`, the
 * app's acks by `envelope_id`, and `disconnect` (the app then opens a new connection through
 * `apps.connections.open`). Point the Web API stub's `apps.connections.open` at `url`.
 */
export type SocketModeServer = {
  url: string;
  /** Connections opened so far (the current one is the last). */
  connections: () => number;
  /** Waits until `count` connections have been opened and greeted with `hello`. */
  waitForConnections: (count: number, timeoutMs?: number) => Promise<void>;
  /** Sends an envelope on the current connection; returns its envelope_id. */
  deliver: (
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: unknown,
    options?: { retryAttempt?: number; retryReason?: string },
  ) => string;
  /** Waits for the app's ack of an envelope, and returns it. */
  waitForAck: (envelopeId: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
  /** Asks the app to reconnect (`disconnect`, reason `refresh_requested`), as Slack does now and then. */
  disconnect: () => void;
  close: () => Promise<void>;
};

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One server-to-client frame (never masked). */
const frame = (opcode: number, payload: Buffer) => {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
};
const bigLength = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

/** Reads the client's (masked) frames from a byte stream. */
const frameReader = (onFrame: (opcode: number, payload: Buffer) => void) => {
  let buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentOpcode = 0;
  return (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const fin = (buffer[0]! & 0x80) !== 0;
      const opcode = buffer[0]! & 0x0f;
      const masked = (buffer[1]! & 0x80) !== 0;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (buffer.length < offset + length) return;
      const payload = Buffer.from(buffer.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buffer[maskOffset + (i % 4)]!;
      buffer = buffer.subarray(offset + length);
      if (opcode >= 8) onFrame(opcode, payload);
      else if (!fin) {
        if (opcode !== 0) fragmentOpcode = opcode;
        fragments.push(payload);
      } else if (opcode === 0) {
        fragments.push(payload);
        onFrame(fragmentOpcode, Buffer.concat(fragments));
        fragments = [];
      } else onFrame(opcode, payload);
    }
  };
};

export const startSocketModeServer = async (): Promise<SocketModeServer> => {
  const sockets: Duplex[] = [];
  let greeted = 0;
  const acks = new Map<string, Record<string, unknown>>();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  const until = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const test = () => {
        if (!check()) return;
        waiters.delete(test);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(test);
        reject(new Error(`socket mode stub: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(test);
      test();
    });
  const sendJson = (socket: Duplex, value: unknown) => {
    if (!socket.destroyed) socket.write(frame(1, Buffer.from(JSON.stringify(value))));
  };

  const server: Server = createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    sockets.push(socket);
    // Slack pings now and then; the client counts a silent server as gone.
    const pinger = setInterval(() => {
      if (!socket.destroyed) socket.write(frame(9, Buffer.from('ping')));
    }, 5000);
    socket.on('close', () => clearInterval(pinger));
    socket.on('error', () => clearInterval(pinger));
    socket.on(
      'data',
      frameReader((opcode, payload) => {
        if (opcode === 9) socket.write(frame(10, payload));
        else if (opcode === 8) {
          if (!socket.destroyed) socket.end(frame(8, payload.subarray(0, 2)));
        } else if (opcode === 1) {
          try {
            const message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
            if (typeof message.envelope_id === 'string') {
              acks.set(message.envelope_id, message);
              wake();
            }
          } catch {
            // Not JSON: Slack ignores it too.
          }
        }
      }),
    );
    sendJson(socket, {
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'stub', build_number: 1, approximate_connection_time: 3600 },
      connection_info: { app_id: 'A0STUB' },
    });
    greeted += 1;
    wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const current = () => {
    const socket = sockets.at(-1);
    if (!socket || socket.destroyed) throw new Error('socket mode stub: no open connection');
    return socket;
  };

  return {
    url: `ws://127.0.0.1:${port}/link`,
    connections: () => greeted,
    waitForConnections: (count, timeoutMs = 30_000) =>
      until(() => greeted >= count && !sockets.at(-1)?.destroyed, timeoutMs, `${count} connections`),
    deliver: (type, payload, options = {}) => {
      const envelopeId = randomUUID();
      sendJson(current(), {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' }
          : {}),
      });
      return envelopeId;
    },
    waitForAck: async (envelopeId, timeoutMs = 30_000) => {
      await until(() => acks.has(envelopeId), timeoutMs, `ack of ${envelopeId}`);
      return acks.get(envelopeId)!;
    },
    disconnect: () => {
      sendJson(current(), {
        type: 'disconnect',
        reason: 'refresh_requested',
        debug_info: { host: 'stub' },
      });
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
