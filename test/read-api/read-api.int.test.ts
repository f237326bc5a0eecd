import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainCodec } from '../../write/event-store/codec.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';
import { corpusEvents } from '../knowledge/corpus.ts';
import { opsKey, type ReadApiHarness, reviewerKey, startReadApi } from './harness.ts';

const rep = 'U00001001';

/** A cursor-shaped value this API never issued. */
const crafted = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('read API over the read models', () => {
  let db: TestDatabase;
  let api: ReadApiHarness;

  beforeAll(async () => {
    db = await createTestDatabase({ max: 20 });
    api = await startReadApi(db);
    await appendGenerated(
      api.store,
      generateDialogues({ users: 3, sessionsPerUser: 5, exchangesPerSession: 2 }),
    );
    const knowledge = await corpusEvents();
    for (const event of knowledge) {
      await api.store.append(`knowledge-${(event.data as { documentId: string }).documentId}`, [
        await plainCodec.encode(event),
      ]);
    }
    await api.caughtUp();
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('serves a rep’s growth history: profile, sessions, weekly scores and trend', async () => {
    const res = await api.get(`/api/v1/users/${rep}/history`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      profile: { insights: number; sessions: number; current: Record<string, number>; weakest: string[] };
      sessions: { scores: Record<string, number> }[];
      trend: { slope: Record<string, number>; weekly: { week: string }[] };
    };
    expect(body.profile).toMatchObject({ insights: 10, sessions: 5 });
    expect(body.profile.weakest).toHaveLength(2);
    expect(body.sessions).toHaveLength(5);
    expect(body.trend.weekly.length).toBeGreaterThanOrEqual(1);
    expect(body.trend.weekly[0]!.week).toMatch(/^\d{4}-W\d{2}$/);
    for (const score of Object.values(body.profile.current)) expect(score).toBeGreaterThanOrEqual(1);
  });

  it('computes history as of a past instant from the insights recorded by then', async () => {
    const asOf = '2026-01-06T23:59:59Z';
    const res = await api.get(`/api/v1/users/${rep}/history?asOf=${encodeURIComponent(asOf)}`);
    const body = (await res.json()) as { asOf: string; profile: { insights: number; sessions: number } };
    expect(res.status).toBe(200);
    expect(body.asOf).toBe('2026-01-06T23:59:59.000Z');
    expect(body.profile).toMatchObject({ insights: 4, sessions: 2 });
    const before = await api.get(`/api/v1/users/${rep}/history?asOf=2025-12-01`);
    expect(before.status).toBe(404);
  });

  it('limits the sessions listed to from/to', async () => {
    const res = await api.get(`/api/v1/users/${rep}/history?from=2026-01-07&to=2026-01-08T23:00:00Z`);
    const body = (await res.json()) as { sessions: unknown[]; profile: { sessions: number } };
    expect(body.sessions).toHaveLength(2);
    expect(body.profile.sessions).toBe(5);
  });

  it.each([
    ['/api/v1/users/not-a-user/history', /userId/],
    [`/api/v1/users/${rep}/history?asOf=yesterday`, /asOf/],
    [`/api/v1/users/${rep}/history?from=2026-02-01&to=2026-01-01`, /from must not be after to/],
    [`/api/v1/users/${rep}/sessions?limit=0`, /limit/],
    [`/api/v1/users/${rep}/sessions?limit=abc`, /limit/],
    [`/api/v1/users/${rep}/sessions?cursor=garbage`, /cursor/],
    // Cursors that decode but were never made by this API: a 400, never a database error (500).
    [`/api/v1/users/${rep}/sessions?cursor=${crafted(['1', 'x'])}`, /cursor/],
    [`/api/v1/users/${rep}/sessions?cursor=${crafted(['2026-01-01T00:00:00Z', 'not-a-uuid'])}`, /cursor/],
    [`/api/v1/users/${rep}/insights?cursor=${crafted(['99999-01-01', crypto.randomUUID()])}`, /cursor/],
    [`/api/v1/users/${rep}/insights?cursor=${crafted({ at: 1 })}`, /cursor/],
    ['/api/v1/sessions/123', /sessionId/],
    ['/api/v1/knowledge/search', /q/],
  ])('answers %s with 400 and a clear message', async (path, message) => {
    const res = await api.get(path, reviewerKey);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toMatch(message);
  });

  it('answers 404 for unknown users and sessions', async () => {
    expect((await api.get('/api/v1/users/U99999999/history')).status).toBe(404);
    expect((await api.get('/api/v1/users/U99999999/sessions')).status).toBe(404);
    expect((await api.get('/api/v1/sessions/00000000-0000-4000-8000-000000000000', reviewerKey)).status).toBe(
      404,
    );
  });

  it('pages sessions newest first with a cursor, without overlap or gaps', async () => {
    const first = (await (await api.get(`/api/v1/users/${rep}/sessions?limit=2`)).json()) as {
      items: {
        sessionId: string;
        startedAt: string;
        messageCount: number;
        insightCount: number;
        feedback: { up: number; down: number };
      }[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    expect(first.items[0]!.startedAt > first.items[1]!.startedAt).toBe(true);
    expect(first.items[0]).toMatchObject({ messageCount: 4, insightCount: 2 });
    expect(first.items[0]!.feedback.up + first.items[0]!.feedback.down).toBe(1);
    const ids = first.items.map((i) => i.sessionId);
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (await (
        await api.get(`/api/v1/users/${rep}/sessions?limit=2&cursor=${cursor}`)
      ).json()) as {
        items: { sessionId: string }[];
        nextCursor: string | null;
      };
      ids.push(...page.items.map((i) => i.sessionId));
      cursor = page.nextCursor;
    }
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('serves one session with its messages in order and its insights', async () => {
    const page = (await (await api.get(`/api/v1/users/${rep}/sessions?limit=1`)).json()) as {
      items: { sessionId: string }[];
    };
    const res = await api.get(`/api/v1/sessions/${page.items[0]!.sessionId}`, reviewerKey);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      messages: { seq: number; role: string; citations: { documentId: string }[] }[];
      insights: { scores: Record<string, number> }[];
    };
    expect(body.messages.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(body.messages[1]!.citations[0]!.documentId).toBe('objection-price');
    expect(body.insights).toHaveLength(2);
  });

  it('pages insights newest first and filters them by time', async () => {
    const all = (await (await api.get(`/api/v1/users/${rep}/insights?limit=100`)).json()) as {
      items: { derivedAt: string }[];
    };
    expect(all.items).toHaveLength(10);
    const some = (await (
      await api.get(`/api/v1/users/${rep}/insights?from=2026-01-07&to=2026-01-07T23:59:59Z`)
    ).json()) as {
      items: unknown[];
    };
    expect(some.items).toHaveLength(2);
  });

  it('searches the knowledge base in Japanese and English with snippets', async () => {
    const ja = (await (
      await api.get(`/api/v1/knowledge/search?q=${encodeURIComponent('価格が高いと言われた')}&limit=3`)
    ).json()) as {
      results: { documentId: string; snippet: string }[];
    };
    expect(ja.results.map((r) => r.documentId)).toContain('objection-price');
    expect(ja.results[0]!.snippet.length).toBeGreaterThan(10);
    const en = (await (await api.get('/api/v1/knowledge/search?q=discovery%20call%20checklist')).json()) as {
      results: { documentId: string }[];
    };
    expect(en.results[0]!.documentId).toBe('discovery-call-checklist');
  });

  it('serves transcripts to reviewer and ops keys only; analysts get session lists with counts and no text', async () => {
    const list = await api.get(`/api/v1/users/${rep}/sessions?limit=1`);
    expect(list.status).toBe(200);
    const [summary] = ((await list.json()) as { items: Record<string, unknown>[] }).items;
    expect(summary).toMatchObject({ messageCount: 4, insightCount: 2 });
    expect(Object.keys(summary!)).not.toContain('messages');
    expect(JSON.stringify(summary)).not.toContain('価格');
    const path = `/api/v1/sessions/${String(summary!.sessionId)}`;
    const refused = await api.get(path);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('WWW-Authenticate')).toContain('scope="reviewer"');
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    for (const key of [reviewerKey, opsKey]) expect((await api.get(path, key)).status).toBe(200);
    // Reviewers read transcripts, not operations.
    expect((await api.get('/api/v1/projections', reviewerKey)).status).toBe(403);
  });

  it('keeps data behind keys and ops endpoints behind the ops scope', async () => {
    expect((await api.get(`/api/v1/users/${rep}/history`, null)).status).toBe(401);
    expect((await api.get('/api/v1/projections')).status).toBe(403);
    const status = await api.get('/api/v1/projections', opsKey);
    expect(status.status).toBe(200);
    const body = (await status.json()) as {
      projections: { name: string; lagEvents: number; generation: number }[];
    };
    expect(body.projections.map((p) => p.name).sort()).toEqual([
      'dialogue',
      'growth',
      'insights',
      'knowledge',
      'manager_reviews',
      'rubrics',
      'skill_targets',
    ]);
    expect(body.projections.every((p) => p.lagEvents === 0 && p.generation === 1)).toBe(true);
  });

  it('serves cached reads and drops them when a projection commits', async () => {
    const path = `/api/v1/users/U00001002/history`;
    const first = await (await api.get(path)).json();
    const hits = api.cache.stats().hits;
    expect(await (await api.get(path)).json()).toEqual(first);
    expect(api.cache.stats().hits).toBeGreaterThan(hits);
    await appendGenerated(
      api.store,
      generateDialogues({
        users: 1,
        firstUser: 2,
        sessionsPerUser: 1,
        exchangesPerSession: 1,
        start: new Date('2026-03-02T09:00:00Z'),
      }).map((s) => ({ ...s, streamId: `${s.streamId}:later` })),
    );
    await api.caughtUp();
    // The cache scope is bumped right after the projection's commit.
    const expected = (first as { profile: { insights: number } }).profile.insights + 1;
    await waitFor(
      async () =>
        ((await (await api.get(path)).json()) as { profile: { insights: number } }).profile.insights ===
        expected,
      5000,
    );
  });

  it('accepts a rebuild request from ops and rebuilds without downtime', async () => {
    const res = await api.app.request('/api/v1/projections/insights/rebuild', {
      method: 'POST',
      headers: { Authorization: `Bearer ${opsKey}` },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ name: 'insights', status: 'requested' });
    const unknown = await api.app.request('/api/v1/projections/nope/rebuild', {
      method: 'POST',
      headers: { Authorization: `Bearer ${opsKey}` },
    });
    expect(unknown.status).toBe(404);
    // Reads keep working while the new generation builds and swaps in.
    // ... until the new generation is live: it is read from at every step of the rebuild.
    const insightsGeneration = async () => {
      const res = await api.get('/api/v1/projections', opsKey);
      const body = (await res.json()) as { projections: { name: string; generation: number | null }[] };
      return body.projections.find((p) => p.name === 'insights')!.generation;
    };
    let reads = 0;
    await waitFor(async () => {
      expect((await api.get(`/api/v1/users/${rep}/insights?limit=1`)).status).toBe(200);
      reads++;
      return ((await insightsGeneration()) ?? 0) > 1; // generation 1 was the first build
    }, 60_000);
    expect(reads).toBeGreaterThan(0);
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = (await (await api.get('/api/v1/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/v1/users/{userId}/history',
      '/api/v1/users/{userId}/sessions',
      '/api/v1/sessions/{sessionId}',
      '/api/v1/users/{userId}/insights',
      '/api/v1/knowledge/search',
      '/api/v1/projections',
      '/api/v1/projections/{name}/rebuild',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    // Each path states the scope the API enforces (INTERFACES.md's list).
    const scopeOf = (path: string, method = 'get') =>
      (doc.paths[path] as Record<string, { 'x-required-scope'?: string }>)[method]?.['x-required-scope'];
    expect(scopeOf('/api/v1/users/{userId}/history')).toBe('analyst');
    expect(scopeOf('/api/v1/users/{userId}/sessions')).toBe('analyst');
    expect(scopeOf('/api/v1/users/{userId}/insights')).toBe('analyst');
    expect(scopeOf('/api/v1/knowledge/search')).toBe('analyst');
    expect(scopeOf('/api/v1/sessions/{sessionId}')).toBe('reviewer');
    expect(scopeOf('/api/v1/projections')).toBe('ops');
    expect(scopeOf('/api/v1/projections/{name}/rebuild', 'post')).toBe('ops');
    expect(scopeOf('/api/v1/health/detailed')).toBe('ops');
  });
});
