import { describe, expect, it } from 'vitest';
import { parseEnv } from './config.ts';

describe('digest and growth configuration', () => {
  it('defaults to Monday 09:00 in Asia/Tokyo over the last 8 sessions', () => {
    const env = parseEnv({});
    expect(env.DIGEST_SCHEDULE).toEqual({ weekday: 1, hour: 9, minute: 0 });
    expect(env.DIGEST_TIMEZONE).toBe('Asia/Tokyo');
    expect(env.GROWTH_WINDOW_SESSIONS).toBe(8);
  });

  it('reads other days, times and off', () => {
    expect(parseEnv({ DIGEST_SCHEDULE: 'Fri 17:30' }).DIGEST_SCHEDULE).toEqual({
      weekday: 5,
      hour: 17,
      minute: 30,
    });
    expect(parseEnv({ DIGEST_SCHEDULE: 'off' }).DIGEST_SCHEDULE).toBe('off');
    expect(parseEnv({ DIGEST_TIMEZONE: 'Europe/Berlin' }).DIGEST_TIMEZONE).toBe('Europe/Berlin');
  });

  it('refuses a wrong value with one line naming the variable', () => {
    expect(() => parseEnv({ DIGEST_SCHEDULE: 'monday' })).toThrow(/^Invalid configuration: DIGEST_SCHEDULE /);
    expect(() => parseEnv({ DIGEST_TIMEZONE: 'Mars/Olympus' })).toThrow(
      /^Invalid configuration: DIGEST_TIMEZONE /,
    );
    expect(() => parseEnv({ GROWTH_WINDOW_SESSIONS: '1' })).toThrow(
      /^Invalid configuration: GROWTH_WINDOW_SESSIONS /,
    );
  });
});
