import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scoredSession, targetCleared, targetSet } from '../../test/helpers/coaching-events.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import { growthProjection } from '../growth/projection.ts';
import { rankGrowth } from '../growth/ranking.ts';
import { recentSessions } from '../growth/recent.ts';
import { zonedTime } from './calendar.ts';
import { skillTargetsProjection } from './projection.ts';
import { activeTargets, targetProgressOf } from './queries.ts';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9)).toISOString();

describe('skill_targets projection, target progress and growth ranking (real Postgres)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('keeps the last target per skill, clears by target id, and is idempotent', async () => {
    const { apply } = await setupTestProjection(db, skillTargetsProjection);
    const first = targetSet('UREP', 'hearing', 3.5, '2027-01-31', 'a');
    await apply([first, targetSet('UREP', 'closing', 4, '2027-02-28', 'b')]);
    await apply([targetSet('UREP', 'hearing', 4.2, '2027-03-31', 'c')]);
    // A clear of the replaced target leaves the new one alone.
    await apply([targetCleared('UREP', 'hearing', 'a')]);
    let rows = await activeTargets(db.pool, ['UREP']);
    expect(rows.map((r) => [r.skill, r.level, r.dueDate])).toEqual([
      ['closing', 4, '2027-02-28'],
      ['hearing', 4.2, '2027-03-31'],
    ]);
    await apply([targetCleared('UREP', 'closing', 'b')]);
    // Applied again at an older position: nothing changes.
    await apply([targetSet('UREP', 'closing', 4, '2027-02-28', 'b')], { commit: 1n, prepare: 1n });
    rows = await activeTargets(db.pool, ['UREP']);
    expect(rows.map((r) => r.skill)).toEqual(['hearing']);
  });

  it('projects progress from the recent slope: on track, at risk, achieved', async () => {
    const growth = await setupTestProjection(db, growthProjection);
    const targets = await setupTestProjection(db, skillTargetsProjection);
    // UUP improves one point every 2 days on hearing; UFLAT stays at 2.
    await growth.apply([1, 2, 3].map((n) => scoredSession('UUP', n, day(n * 2), { hearing: n + 1 })));
    await growth.apply([1, 2, 3].map((n) => scoredSession('UFLAT', n, day(n * 2), 2)));
    await targets.apply([
      targetSet('UUP', 'hearing', 5, '2026-11-14'),
      targetSet('UFLAT', 'hearing', 3, '2026-11-30'),
      targetSet('UFLAT', 'closing', 2, '2026-11-30'),
    ]);
    const progress = await targetProgressOf(db.pool, ['UUP', 'UFLAT'], { window: 8, today: '2026-11-07' });
    const by = (u: string, s: string) => progress.find((p) => p.userId === u && p.skill === s)!;
    expect(by('UUP', 'hearing')).toMatchObject({ status: 'on_track', daysLeft: 7, projected: 5 });
    expect(by('UUP', 'hearing').gap).toBeGreaterThan(0);
    expect(by('UFLAT', 'hearing')).toMatchObject({ status: 'at_risk', current: 2, gap: 1, projected: 2 });
    expect(by('UFLAT', 'closing')).toMatchObject({ status: 'achieved', gap: 0 });
  });

  it('ranks growth, not peaks: a rising rep at 3 outranks a flat rep at 5', async () => {
    const growth = await setupTestProjection(db, growthProjection);
    await growth.apply([1, 2, 3, 4].map((n) => scoredSession('URISE', n, day(n), Math.min(5, n))));
    await growth.apply([1, 2, 3, 4].map((n) => scoredSession('UPEAK', n, day(n), 5)));
    await growth.apply([scoredSession('UNEW', 1, day(1), 4)]);
    const sessions = await recentSessions(db.pool, ['UPEAK', 'UNEW', 'URISE'], 3);
    expect(sessions.get('URISE')?.length).toBe(3);
    const ranked = rankGrowth(['UPEAK', 'UNEW', 'URISE'], sessions);
    expect(ranked.map((r) => r.userId)).toEqual(['URISE', 'UPEAK', 'UNEW']);
    expect(ranked[0]).toMatchObject({ slope: 1, sessions: 3, latest: 4 });
    expect(ranked[2]).toMatchObject({ slope: null, sessions: 1 });
  });

  it('reads weeks and dates in the workspace time zone', () => {
    // Sunday 23:30 UTC is already Monday 08:30 in Tokyo.
    const t = zonedTime(new Date('2026-11-29T23:30:00Z'), 'Asia/Tokyo');
    expect(t).toEqual({ date: '2026-11-30', week: '2026-W49', weekday: 1, hour: 8, minute: 30 });
    expect(zonedTime(new Date('2026-11-29T23:30:00Z'), 'UTC').week).toBe('2026-W48');
  });
});
