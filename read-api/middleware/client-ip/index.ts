import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The client's address: the socket's peer, or what a trusted proxy says it saw. */
    clientIp: string | undefined;
  }
}

export type ClientIpOptions = {
  /** Peers whose `X-Forwarded-For` is believed: loopback only (nginx on the same host, as in the seed). */
  isTrustedProxy?: (address: string) => boolean;
  /** The socket's peer address; @hono/node-server's by default (undefined outside it, e.g. `app.request`). */
  socketAddress?: (c: Context) => string | undefined;
};

/** `::ffff:10.0.0.1` is 10.0.0.1: one client, one rate-limit bucket, one allowlist rule. */
export const normalizeIp = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
};

export const isLoopback = (address: string): boolean => {
  const ip = normalizeIp(address);
  return ip === '::1' || (isIP(ip) === 4 && ip.startsWith('127.'));
};

const nodeSocketAddress = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
};

/** An `X-Forwarded-For` entry: an address, maybe bracketed or with a port. */
const forwardedAddress = (entry: string): string | undefined => {
  const trimmed = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(trimmed);
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(trimmed);
  const address = bracketed?.[1] ?? v4WithPort?.[1] ?? trimmed;
  return isIP(address) ? normalizeIp(address) : undefined;
};

/**
 * Sets `clientIp`. The socket's peer is the client unless it is a trusted proxy; then the
 * `X-Forwarded-For` chain is read from the right (each proxy appends the address it saw, as
 * nginx's `$proxy_add_x_forwarded_for` does), skipping trusted proxies, and the first address
 * not trusted is the client. Entries to its left were written by the client and are ignored.
 */
export const clientIp = ({
  isTrustedProxy = isLoopback,
  socketAddress = nodeSocketAddress,
}: ClientIpOptions = {}): MiddlewareHandler =>
  async function resolveClientIp(c, next) {
    const peer = socketAddress(c);
    let client = peer === undefined ? undefined : normalizeIp(peer);
    if (client !== undefined && isTrustedProxy(client)) {
      const chain = (c.req.header('X-Forwarded-For') ?? '').split(',').filter((e) => e.trim() !== '');
      for (let i = chain.length - 1; i >= 0; i -= 1) {
        const address = forwardedAddress(chain[i]!);
        if (address === undefined) break;
        client = address;
        if (!isTrustedProxy(address)) break;
      }
    }
    c.set('clientIp', client);
    await next();
  };
