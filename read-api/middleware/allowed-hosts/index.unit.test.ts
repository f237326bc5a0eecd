import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../schemas/logger.ts';
import { errorHandler } from '../error-handler/index.ts';
import { allowedHosts } from './index.ts';

const app = (hosts: string[]) => {
  const a = new Hono();
  a.onError(errorHandler({ logger: silentLogger }));
  a.use(allowedHosts({ hosts }));
  a.get('/', (c) => c.text('ok'));
  return a;
};

const statusFor = async (hosts: string[], host: string) =>
  (await app(hosts).request('http://x/', { headers: { Host: host } })).status;

describe('allowedHosts', () => {
  it('accepts any host when the list is empty or has *', async () => {
    expect(await statusFor([], 'evil.example')).toBe(200);
    expect(await statusFor(['*'], 'evil.example')).toBe(200);
  });

  it('accepts listed hosts with any port, and subdomains of *. entries', async () => {
    const hosts = ['your-domain.com', '*.corp.example'];
    expect(await statusFor(hosts, 'your-domain.com')).toBe(200);
    expect(await statusFor(hosts, 'YOUR-DOMAIN.COM:443')).toBe(200);
    expect(await statusFor(hosts, 'api.corp.example')).toBe(200);
    expect(await statusFor(hosts, 'corp.example.evil')).toBe(400);
  });

  it('always accepts loopback names (local health probes)', async () => {
    expect(await statusFor(['your-domain.com'], 'localhost:8000')).toBe(200);
    expect(await statusFor(['your-domain.com'], '127.0.0.1:8000')).toBe(200);
    expect(await statusFor(['your-domain.com'], '[::1]:8000')).toBe(200);
  });

  it('refuses other hosts with 400 and the error body', async () => {
    const res = await app(['your-domain.com']).request('http://x/', {
      headers: { Host: 'attacker.example' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });
});
