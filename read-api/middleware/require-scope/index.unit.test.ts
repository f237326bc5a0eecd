import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal } from '../../../schemas/api/api-keys.ts';
import { silentLogger } from '../../../schemas/logger.ts';
import { apiKeyAuth } from '../api-key-auth/index.ts';
import { errorHandler, notFoundHandler } from '../error-handler/index.ts';
import { requireScope } from './index.ts';

const keys: Record<string, ApiKeyPrincipal> = {
  'analyst-key-0123456789': { id: 'a', name: 'grafana', scope: 'analyst', source: 'environment' },
  'ops-key-0123456789': { id: 'o', name: 'deploy', scope: 'ops', source: 'database' },
};

const app = () => {
  const a = new Hono();
  a.onError(errorHandler({ logger: silentLogger }));
  a.notFound(notFoundHandler);
  a.use(apiKeyAuth({ verify: async (key) => keys[key] }));
  a.use('/api/*', requireScope({ scope: 'analyst' }));
  a.use('/api/ops/*', requireScope({ scope: 'ops' }));
  a.get('/api/report', (c) => c.json({ who: c.get('apiKey').name }));
  a.get('/api/ops/rebuild', (c) => c.json({ who: c.get('apiKey').name }));
  return a;
};

const call = (path: string, key?: string) =>
  app().request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });

describe('requireScope', () => {
  it('answers 401 UNAUTHORIZED with WWW-Authenticate: Bearer without a key', async () => {
    const res = await call('/api/report');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="salesai"');
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('answers 401 with error="invalid_token" for an unknown key', async () => {
    const res = await call('/api/report', 'wrong-key-0123456789');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('lets a key with the scope through; ops includes analyst', async () => {
    expect((await call('/api/report', 'analyst-key-0123456789')).status).toBe(200);
    expect(await (await call('/api/report', 'ops-key-0123456789')).json()).toEqual({ who: 'deploy' });
    expect((await call('/api/ops/rebuild', 'ops-key-0123456789')).status).toBe(200);
  });

  it('answers 403 FORBIDDEN to a key whose scope is too narrow', async () => {
    const res = await call('/api/ops/rebuild', 'analyst-key-0123456789');
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="insufficient_scope"');
    expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('leaves paths no route answers to the 404 handler', async () => {
    const res = await call('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
