import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { fire, mutate, sendTwiceOn5xx, unhandledErrors } from '../helpers/fuzz.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { createPrng, testSeed } from '../helpers/prng.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';

const requests = 5000;

const nasty = [
  '',
  ' ',
  "' OR 1=1 --",
  '"; DROP TABLE es_events; --',
  '%00',
  '%',
  '../../etc/passwd',
  '価格が高い',
  '🙂🙃',
  'U2CERLKJA',
  'u2cerlkja',
  'W0123456789',
  '00000000-0000-4000-8000-000000000000',
  'not-a-uuid',
  '2026-02-30',
  '2026-13-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  '[]',
  '{}',
  '<script>alert(1)</script>',
  'x'.repeat(5000),
];

/**
 * Generated API requests, each mutated several times (path, query, headers, body), from one
 * seeded PRNG (the seed is printed; TEST_SEED reproduces the run): every answer is a clear 4xx or
 * a 200, never a 5xx; a share are answered with data; the server logs no unhandled error; and
 * it keeps serving.
 */
describe('API under generated and mutated queries', () => {
  const seed = testSeed('api fuzz');
  const prng = createPrng(seed);
  let db: TestDatabase;
  let app: RunningProcess;
  const key = `fuzz-${prng.hex(12)}`;
  const opsKey = `fuzzops-${prng.hex(12)}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
    });
    await appendGenerated(store, generateDialogues({ users: 2, sessionsPerUser: 2, exchangesPerSession: 1 }));
    await store.close();
    app = await startServe({
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      API_KEYS: `fuzz:analyst:${key},fuzzops:ops:${opsKey}`,
      // The limits themselves are tested elsewhere; here every request must reach the handlers.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_HOUR: '1000000',
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it(`answers ${requests.toLocaleString('en')} mutated requests without a 5xx; a share with data`, async () => {
    const value = () =>
      prng.chance(0.5)
        ? prng.pick(nasty)
        : prng.bytes(prng.int(0, 24)).toString(prng.chance(0.5) ? 'hex' : 'base64');
    const templates: { path: string; params: Record<string, string>; query: Record<string, string> }[] = [
      {
        path: '/api/v1/users/:user/history',
        params: { user: 'U00001001' },
        query: { from: '2020-01-01', to: '2030-01-01' },
      },
      {
        path: '/api/v1/users/:user/history',
        params: { user: 'U00001001' },
        query: { asOf: '2029-01-01T00:00:00Z' },
      },
      { path: '/api/v1/users/:user/sessions', params: { user: 'U00001000' }, query: { limit: '10' } },
      { path: '/api/v1/users/:user/insights', params: { user: 'U00001000' }, query: { limit: '5' } },
      {
        path: '/api/v1/sessions/:session',
        params: { session: '00000000-0000-4000-8000-000000000000' },
        query: {},
      },
      { path: '/api/v1/knowledge/search', params: {}, query: { q: '価格', limit: '3' } },
      { path: '/api/v1/projections', params: {}, query: {} },
      { path: '/api/v1/projections/:name/rebuild', params: { name: 'nope' }, query: {} },
    ];
    type Generated = {
      method: string;
      url: string;
      headers: Record<string, string>;
      body?: string;
      control: boolean;
    };
    const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    const generate = (): Generated => {
      const template = prng.pick(templates);
      const auth = prng.int(0, 9);
      const base = {
        method: 'GET',
        params: template.params,
        query: template.query,
        auth:
          auth < 6
            ? `Bearer ${key}`
            : auth < 8
              ? `Bearer ${opsKey}`
              : `${prng.pick(['Bearer', 'Basic', ''])} ${value()}`,
        body: null as unknown,
      };
      // A share of the requests is sent as generated (they must be answered with data).
      const control = prng.chance(0.15);
      const changed = (control ? base : mutate(prng, base, prng.int(2, 5))) as Partial<typeof base> | null;
      const c = changed !== null && typeof changed === 'object' ? changed : {};
      const params = (c.params !== null && typeof c.params === 'object' ? c.params : {}) as Record<
        string,
        unknown
      >;
      const query = (c.query !== null && typeof c.query === 'object' ? c.query : {}) as Record<
        string,
        unknown
      >;
      // A URL carries UTF-8: a lone surrogate cannot be sent (encodeURIComponent refuses it).
      const path = template.path.replace(/:(\w+)/g, (_, name: string) =>
        encodeURIComponent(text(params[name] ?? value()).toWellFormed()),
      );
      const search = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, text(v)]),
      ).toString();
      const method =
        typeof c.method === 'string' && /^[A-Z]{1,10}$/.test(c.method)
          ? c.method
          : prng.pick(['POST', 'PUT', 'DELETE', 'PATCH']);
      const headers: Record<string, string> = {};
      const authorization = text(c.auth ?? '')
        .replace(/[^\x20-\x7e]/g, '')
        .slice(0, 500);
      if (authorization) headers.Authorization = authorization;
      return {
        method,
        url: `${path}${search ? `?${search}` : ''}`,
        headers,
        ...(method !== 'GET' && method !== 'HEAD' ? { body: text(c.body) } : {}),
        control,
      };
    };
    const generated = Array.from({ length: requests }, generate);
    const fives: string[] = [];
    let transient = 0;
    const statuses = await fire(generated, 6, async (request) => {
      const res = await sendTwiceOn5xx(() =>
        fetch(`${app.baseUrl}${request.url}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
        }),
      );
      if (res.transient) transient++;
      if (res.repeated) fives.push(`${request.method} ${request.url} → ${res.status}`);
      return res.status;
    });
    const share = (status: number) => (statuses.get(status) ?? 0) / requests;
    console.log(
      `api fuzz (seed ${seed}): ${requests} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))} ` +
        `(${transient} transient 5xx answered on a second try)`,
    );
    expect(fives).toEqual([]);
    expect(statuses.get(429) ?? 0).toBe(0);
    // The mix: answered with data, refused for the key, refused for the input.
    expect(share(200)).toBeGreaterThan(0.05);
    expect(share(401) + share(403)).toBeGreaterThan(0.05);
    expect(share(400) + share(404)).toBeGreaterThan(0.05);
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.baseUrl}/api/v1/health`)).status).toBe(200);
    expect(unhandledErrors(app.output())).toEqual([]);
  }, 300_000);
});
