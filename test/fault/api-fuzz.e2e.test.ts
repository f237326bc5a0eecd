import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';

/** A small deterministic PRNG (mulberry32): the same seed makes the same requests. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

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
 * Generated and mutated API queries against the running process: every answer is a clear 4xx
 * or a 200, never a 5xx, and the process keeps serving.
 */
describe('API under generated and mutated queries', () => {
  let db: TestDatabase;
  let app: RunningProcess;
  const key = `fuzz-${randomBytes(12).toString('hex')}`;
  const opsKey = `fuzzops-${randomBytes(12).toString('hex')}`;

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

  it('answers 1,000 generated requests without a 5xx or a crash', async () => {
    const random = prng(20261123);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const value = () =>
      random() < 0.5
        ? pick(nasty)
        : randomBytes(Math.floor(random() * 24)).toString(random() < 0.5 ? 'hex' : 'base64');
    const paths = [
      () =>
        `/api/v1/users/${encodeURIComponent(value())}/history?from=${encodeURIComponent(value())}&to=${encodeURIComponent(value())}`,
      () => `/api/v1/users/U00001001/history?asOf=${encodeURIComponent(value())}`,
      () =>
        `/api/v1/users/${pick(['U00001001', 'U00001000', value()])}/sessions?limit=${encodeURIComponent(value())}&cursor=${encodeURIComponent(value())}`,
      () =>
        `/api/v1/users/U00001000/insights?limit=${Math.floor(random() * 300) - 50}&from=${encodeURIComponent(value())}`,
      () => `/api/v1/sessions/${encodeURIComponent(value())}`,
      () =>
        `/api/v1/knowledge/search?q=${encodeURIComponent(value())}&limit=${encodeURIComponent(value())}&language=${encodeURIComponent(value())}`,
      () => `/api/v1/projections/${encodeURIComponent(value())}/rebuild`,
      () => `/api/v1/${encodeURIComponent(value())}`,
      () => `/api/v1/users/U00001001/history?${encodeURIComponent(value())}=${encodeURIComponent(value())}`,
    ];
    const statuses = new Map<number, number>();
    const fives: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const path = pick(paths)();
      const method = random() < 0.8 ? 'GET' : pick(['POST', 'PUT', 'DELETE', 'PATCH']);
      const auth = random();
      const headers: Record<string, string> = {};
      if (auth < 0.6) headers.Authorization = `Bearer ${key}`;
      else if (auth < 0.75) headers.Authorization = `Bearer ${opsKey}`;
      else if (auth < 0.9)
        headers.Authorization = `${pick(['Bearer', 'Basic', ''])} ${encodeURIComponent(value()).slice(0, 500)}`;
      const body = method === 'GET' ? undefined : random() < 0.5 ? value() : JSON.stringify({ x: value() });
      const res = await fetch(`${app.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) fives.push(`${method} ${path} → ${res.status}`);
    }
    console.log(`api fuzz: 1000 requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(fives).toEqual([]);
    expect(statuses.get(429) ?? 0).toBe(0);
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.baseUrl}/api/v1/health`)).status).toBe(200);
  }, 180_000);
});
