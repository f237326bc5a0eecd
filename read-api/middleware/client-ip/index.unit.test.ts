import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp, isLoopback, normalizeIp } from './index.ts';

/** node-server's bindings, as `getConnInfo` reads them. */
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

const app = () => {
  const a = new Hono();
  a.use(clientIp());
  a.get('/', (c) => c.text(c.get('clientIp') ?? 'none'));
  return a;
};

const ipOf = async (peer: string | undefined, forwardedFor?: string) => {
  const headers = forwardedFor === undefined ? undefined : { 'X-Forwarded-For': forwardedFor };
  const res = await app().request('/', { headers }, peer === undefined ? undefined : socket(peer));
  return res.text();
};

describe('clientIp', () => {
  it('takes the socket peer of a direct client and ignores its X-Forwarded-For', async () => {
    expect(await ipOf('203.0.113.7')).toBe('203.0.113.7');
    expect(await ipOf('203.0.113.7', '127.0.0.1')).toBe('203.0.113.7');
  });

  it('believes X-Forwarded-For from a loopback proxy, reading from the right', async () => {
    // nginx appends the address it saw; what the client wrote to the left is not believed.
    expect(await ipOf('127.0.0.1', '198.51.100.9')).toBe('198.51.100.9');
    expect(await ipOf('127.0.0.1', '10.9.9.9, 198.51.100.9')).toBe('198.51.100.9');
    expect(await ipOf('::1', '2001:db8::5, 127.0.0.1')).toBe('2001:db8::5');
  });

  it('normalises IPv4-mapped IPv6 peers and stops at a malformed entry', async () => {
    expect(await ipOf('::ffff:127.0.0.1', '[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(await ipOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(await ipOf('127.0.0.1', 'not-an-ip')).toBe('127.0.0.1');
  });

  it('has no address outside a node server', async () => {
    expect(await ipOf(undefined)).toBe('none');
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(normalizeIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
  });
});
