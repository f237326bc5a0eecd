import { describe, expect, it } from 'vitest';
import { createAttemptLimiter } from '../../dashboard/auth/attempts.ts';
import { deriveDashboardKeys, keyFingerprint } from '../../dashboard/auth/keys.ts';
import { createLivenessCheck } from '../../dashboard/auth/liveness.ts';
import type { SessionClaims } from '../../dashboard/auth/session-token.ts';
import { en } from '../../dashboard/i18n/en.ts';
import { ja } from '../../dashboard/i18n/ja.ts';
import { pickLang } from '../../dashboard/i18n/lang.ts';
import { fillWeeks } from '../../dashboard/queries/team.ts';
import { addDays, endOfLocalDay, isCalendarDate, localDate, mondayOf } from '../../dashboard/time.ts';

describe('calendar days in the display zone', () => {
  it('cuts days in Tokyo, and "as of" a day includes all of it', () => {
    expect(localDate('2026-03-01T15:30:00Z', 'Asia/Tokyo')).toBe('2026-03-02');
    expect(endOfLocalDay('2026-03-02', 'Asia/Tokyo')).toBe('2026-03-02T14:59:59.999Z');
    expect(endOfLocalDay('2026-03-02', 'UTC')).toBe('2026-03-02T23:59:59.999Z');
    expect(endOfLocalDay('2026-07-01', 'Europe/Berlin')).toBe('2026-07-01T21:59:59.999Z');
  });

  it('validates and does arithmetic on dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(mondayOf('2026-03-08')).toBe('2026-03-02');
    expect(mondayOf('2026-03-02')).toBe('2026-03-02');
  });

  it('fills the weeks without sessions with zeros, up to this week', () => {
    const rows = [
      { week: '2026-01-05', sessions: 3 },
      { week: '2026-03-02', sessions: 4 },
    ];
    const weeks = fillWeeks(rows, '2026-03-11', 12);
    expect(weeks).toHaveLength(10);
    expect(weeks[0]).toEqual({ week: '2026-01-05', sessions: 3 });
    expect(weeks.at(-2)).toEqual({ week: '2026-03-02', sessions: 4 });
    expect(weeks.at(-1)).toEqual({ week: '2026-03-09', sessions: 0 });
    expect(weeks[1]).toEqual({ week: '2026-01-12', sessions: 0 });
    // Only the last `count` weeks; at least four.
    expect(fillWeeks(rows, '2026-03-11', 3).map((w) => w.week)).toEqual(
      [
        '2026-01-26',
        '2026-02-02',
        '2026-02-09',
        '2026-02-16',
        '2026-02-23',
        '2026-03-02',
        '2026-03-09',
      ].slice(-4),
    );
    expect(fillWeeks([{ week: '2026-03-09', sessions: 1 }], '2026-03-11', 12)).toHaveLength(4);
    // A team that paused long ago still sees its last weeks.
    expect(fillWeeks([{ week: '2025-01-06', sessions: 2 }], '2026-03-11', 2).at(-1)).toEqual({
      week: '2025-01-06',
      sessions: 2,
    });
  });
});

describe('language', () => {
  it('is Japanese unless asked otherwise, by query first, then cookie', () => {
    expect(pickLang(undefined, undefined)).toBe('ja');
    expect(pickLang('en', 'ja')).toBe('en');
    expect(pickLang(undefined, 'en')).toBe('en');
    expect(pickLang('fr', 'xx')).toBe('ja');
  });

  it('has every message in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
  });
});

describe('sign-in attempts', () => {
  it('blocks a client after ten failures until the window ends', () => {
    let now = 0;
    const limiter = createAttemptLimiter({ now: () => now });
    for (let i = 0; i < 9; i++) limiter.fail('1.2.3.4');
    expect(limiter.blockedFor('1.2.3.4')).toBe(0);
    limiter.fail('1.2.3.4');
    expect(limiter.blockedFor('1.2.3.4')).toBe(600);
    expect(limiter.blockedFor('5.6.7.8')).toBe(0);
    now = 600_000;
    expect(limiter.blockedFor('1.2.3.4')).toBe(0);
  });
});

describe('session liveness for API_KEYS keys', () => {
  const keys = deriveDashboardKeys('s'.repeat(64));
  const claims: SessionClaims = {
    v: 1,
    sid: 'a'.repeat(22),
    sub: 'env:grafana',
    name: 'grafana',
    scope: 'analyst',
    src: 'environment',
    fp: keyFingerprint(keys, 'secret-1'),
    iat: 0,
    exp: 1,
  };
  const db = { query: async () => ({ rows: [] }) } as never;

  it('holds while the key is in API_KEYS with the same secret and scope', async () => {
    const check = createLivenessCheck({
      db,
      keys,
      envKeys: [{ name: 'grafana', scope: 'analyst', secret: 'secret-1' }],
    });
    expect(await check(claims)).toBe(true);
  });

  it('ends when the key left API_KEYS, got another secret, or another scope', async () => {
    for (const envKeys of [
      [],
      [{ name: 'grafana', scope: 'analyst' as const, secret: 'secret-2' }],
      [{ name: 'grafana', scope: 'ops' as const, secret: 'secret-1' }],
    ]) {
      expect(await createLivenessCheck({ db, keys, envKeys })(claims)).toBe(false);
    }
  });
});
