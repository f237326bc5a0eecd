import { z } from 'zod';

/** When the weekly digest goes out: a weekday and a time of day in DIGEST_TIMEZONE, or never. */
export type DigestSchedule = { weekday: number; hour: number; minute: number } | 'off';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** DIGEST_SCHEDULE: `mon 09:00` (the default), `fri 17:30`, or `off`. */
export const digestScheduleVariable = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((raw, ctx): DigestSchedule => {
    const value = raw === undefined || raw === '' ? 'mon 09:00' : raw;
    if (value === 'off') return 'off';
    const match = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]* ([01]?\d|2[0-3]):([0-5]\d)$/.exec(value);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'expected a weekday and a time like "mon 09:00", or "off"' });
      return z.NEVER;
    }
    return {
      weekday: weekdays.indexOf(match[1] as (typeof weekdays)[number]) + 1,
      hour: Number(match[2]),
      minute: Number(match[3]),
    };
  });

/** DIGEST_TIMEZONE: an IANA time zone (default Asia/Tokyo). */
export const timeZoneVariable = z
  .string()
  .trim()
  .optional()
  .transform((raw, ctx) => {
    const zone = raw === undefined || raw === '' ? 'Asia/Tokyo' : raw;
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an IANA time zone like Asia/Tokyo' });
      return z.NEVER;
    }
  });
