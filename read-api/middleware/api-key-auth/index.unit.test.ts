import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal } from '../../../schemas/api/api-keys.ts';
import { apiKeyAuth } from './index.ts';

const analyst: ApiKeyPrincipal = {
  id: 'env:grafana',
  name: 'grafana',
  scope: 'analyst',
  source: 'environment',
};

const app = () => {
  const seen: string[] = [];
  const a = new Hono();
  a.use(
    apiKeyAuth({
      verify: async (key) => {
        seen.push(key);
        return key === 'good-key-0123456789' ? analyst : undefined;
      },
    }),
  );
  a.get('/', (c) => c.json({ key: c.get('apiKey') ?? null, problem: c.get('apiKeyProblem') ?? null }));
  return { app: a, seen };
};

const call = async (authorization?: string) => {
  const { app: a, seen } = app();
  const res = await a.request('/', { headers: authorization ? { Authorization: authorization } : {} });
  const body = (await res.json()) as { key: ApiKeyPrincipal | null; problem: string | null };
  return { body, seen, status: res.status };
};

describe('apiKeyAuth', () => {
  it('sets the principal of a valid bearer key (scheme case-insensitive)', async () => {
    expect((await call('Bearer good-key-0123456789')).body).toEqual({ key: analyst, problem: null });
    expect((await call('bearer   good-key-0123456789')).body.key).toEqual(analyst);
  });

  it('marks an invalid key, and a header that is not a bearer key, without rejecting', async () => {
    const invalid = await call('Bearer nope');
    expect(invalid.status).toBe(200);
    expect(invalid.body).toEqual({ key: null, problem: 'invalid' });
    const basic = await call('Basic dXNlcjpwYXNz');
    expect(basic.body).toEqual({ key: null, problem: 'malformed' });
    expect(basic.seen).toEqual([]);
  });

  it('leaves a request without credentials alone', async () => {
    expect((await call()).body).toEqual({ key: null, problem: null });
  });
});
