import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTeamDirectory } from '../../write/authorization/team-directory.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { scoredSession } from '../helpers/coaching-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';
import { analystKey, type ReadApiHarness, reviewerKey, startReadApi } from './harness.ts';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 3)).toISOString();
const now = new Date('2026-12-01T00:00:00Z'); // 09:00 in Tokyo

describe('targets and team growth over the API', () => {
  let db: TestDatabase;
  let api: ReadApiHarness;
  const call = (method: string, path: string, key: string, body?: unknown) =>
    Promise.resolve(
      api.app.request(path, {
        method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startReadApi(db, {
      coachingPlan: {
        teams: staticTeamDirectory({
          managerUserIds: ['UMGR1'],
          teams: { UMGR1: ['UFLAT1', 'URISE1', 'UNAMELESS1'] },
        }),
        displayNames: async (ids) =>
          new Map(ids.filter((i) => i !== 'UNAMELESS1').map((i) => [i, `name-${i}`])),
        clock: () => now,
      },
    });
    const events = [
      ...[1, 2, 3].map((n) => scoredSession('URISE1', n, day(20 + n), n + 1)),
      ...[1, 2, 3].map((n) => scoredSession('UFLAT1', n, day(20 + n), 5)),
    ];
    for (const [i, event] of events.entries()) {
      await api.store.append(`test-growth-${i}`, [await plainCodec.encode(event)], 'no_stream');
    }
    await api.caughtUp();
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('a reviewer key sets, replaces and clears a target; an analyst reads its progress but cannot set it', async () => {
    const target = { skill: 'hearing', level: 4.5, dueDate: '2027-01-31' };
    expect((await call('PUT', '/api/v1/users/URISE1/targets', analystKey, target)).status).toBe(403);
    const set = await call('PUT', '/api/v1/users/URISE1/targets', reviewerKey, target);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ status: 'set' });
    expect(await (await call('PUT', '/api/v1/users/URISE1/targets', reviewerKey, target)).json()).toEqual({
      status: 'unchanged',
    });
    const count = async () =>
      ((await (await call('GET', '/api/v1/users/URISE1/targets', analystKey)).json()) as { items: unknown[] })
        .items.length;
    expect(await waitFor(async () => (await count()) === 1)).toBe(true);
    const read = (await (await call('GET', '/api/v1/users/URISE1/targets', analystKey)).json()) as {
      today: string;
      items: { skill: string; level: number; status: string; daysLeft: number; setBy: string }[];
    };
    expect(read.today).toBe('2026-12-01');
    expect(read.items).toHaveLength(1);
    expect(read.items[0]).toMatchObject({
      skill: 'hearing',
      level: 4.5,
      daysLeft: 61,
      status: 'on_track',
      setBy: 'api:reviewer',
    });
    const cleared = await call('DELETE', '/api/v1/users/URISE1/targets/hearing', reviewerKey);
    expect(await cleared.json()).toEqual({ status: 'cleared' });
    await api.caughtUp();
    expect(
      ((await (await call('GET', '/api/v1/users/URISE1/targets', analystKey)).json()) as { items: [] }).items,
    ).toEqual([]);
  });

  it('refuses a past due date, an unknown skill and a level with two decimals (400)', async () => {
    for (const body of [
      { skill: 'hearing', level: 4, dueDate: '2026-11-30' },
      { skill: 'budget', level: 4, dueDate: '2027-01-31' },
      { skill: 'hearing', level: 4.25, dueDate: '2027-01-31' },
    ]) {
      expect((await call('PUT', '/api/v1/users/URISE1/targets', reviewerKey, body)).status).toBe(400);
    }
  });

  it("ranks a manager's team by growth with display names (the id when there is none); 404 for a non-manager", async () => {
    const response = await call('GET', '/api/v1/teams/UMGR1/growth', analystKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: { userId: string; displayName: string; rank: number; slope: number | null }[];
    };
    expect(body.items.map((i) => [i.rank, i.userId, i.displayName, i.slope])).toEqual([
      [1, 'URISE1', 'name-URISE1', 1],
      [2, 'UFLAT1', 'name-UFLAT1', 0],
      [3, 'UNAMELESS1', 'UNAMELESS1', null],
    ]);
    expect((await call('GET', '/api/v1/teams/URISE1/growth', analystKey)).status).toBe(404);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await (await api.get('/api/v1/openapi.json', null)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/users/{userId}/targets'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(doc.paths['/api/v1/teams/{managerId}/growth']?.get).toBeDefined();
    expect(doc.paths['/api/v1/users/{userId}/targets/{skill}']?.delete).toBeDefined();
  });
});
