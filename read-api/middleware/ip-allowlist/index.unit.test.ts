import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../schemas/config.ts';
import { silentLogger } from '../../../schemas/logger.ts';
import { clientIp } from '../client-ip/index.ts';
import { errorHandler } from '../error-handler/index.ts';
import { ipAllowlist } from './index.ts';

const app = (allow: string[]) => {
  const a = new Hono();
  a.onError(errorHandler({ logger: silentLogger }));
  a.use(clientIp());
  a.use(ipAllowlist({ allow }));
  a.get('/metrics', (c) => c.text('metrics'));
  return a;
};

const statusFrom = async (allow: string[], remoteAddress: string, forwardedFor?: string) =>
  (
    await app(allow).request(
      '/metrics',
      { headers: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {} },
      { incoming: { socket: { remoteAddress } } },
    )
  ).status;

describe('ipAllowlist', () => {
  it('allows loopback only when the list is empty', async () => {
    expect(await statusFrom([], '127.0.0.1')).toBe(200);
    expect(await statusFrom([], '::1')).toBe(200);
    expect(await statusFrom([], '::ffff:127.0.0.1')).toBe(200);
    expect(await statusFrom([], '10.0.0.5')).toBe(403);
  });

  it('matches addresses and CIDR ranges, IPv4 and IPv6', async () => {
    const allow = ['192.0.2.10', '10.0.0.0/8', '2001:db8::/32'];
    expect(await statusFrom(allow, '192.0.2.10')).toBe(200);
    expect(await statusFrom(allow, '10.200.3.4')).toBe(200);
    expect(await statusFrom(allow, '::ffff:10.1.1.1')).toBe(200);
    expect(await statusFrom(allow, '2001:db8:1::9')).toBe(200);
    expect(await statusFrom(allow, '192.0.2.11')).toBe(403);
    expect(await statusFrom(allow, '2001:db9::1')).toBe(403);
    // A listed list replaces the loopback default.
    expect(await statusFrom(allow, '127.0.0.1')).toBe(403);
  });

  it('judges the client behind a loopback proxy, not the proxy', async () => {
    expect(await statusFrom([], '127.0.0.1', '203.0.113.5')).toBe(403);
    expect(await statusFrom(['203.0.113.0/24'], '127.0.0.1', '203.0.113.5')).toBe(200);
  });

  it('answers 403 FORBIDDEN in the error shape, also without a known address', async () => {
    const res = await app([]).request('/metrics');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses an invalid rule at start-up, naming the variable', () => {
    expect(() => ipAllowlist({ allow: ['10.0.0.0/33'] })).toThrow(ConfigurationError);
    expect(() => ipAllowlist({ allow: ['not-an-ip'] })).toThrow(/METRICS_ALLOWED_IPS/);
  });
});
