import type { Lang } from '../i18n/lang.ts';
import { localDate } from '../time.ts';

export type Formatter = {
  /** `2026/3/2` (ja) or `2 Mar 2026` (en), in the display zone. */
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  time: (iso: string) => string;
  /** `YYYY-MM-DD` in the display zone (date inputs, URLs). */
  day: (iso: string | number) => string;
  /** A `YYYY-MM-DD` calendar day, shown as a date. */
  calendarDay: (date: string) => string;
  score: (value: number) => string;
  /** A slope with its sign: `+0.12`. */
  slope: (value: number) => string;
  integer: (value: number) => string;
};

export const formatter = (lang: Lang, timeZone: string): Formatter => {
  const locale = lang === 'ja' ? 'ja-JP' : 'en-GB';
  const date = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' });
  const utcDate = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
  const score = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const slope = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  const integer = new Intl.NumberFormat(locale);
  return {
    date: (iso) => date.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    time: (iso) => time.format(new Date(iso)),
    day: (iso) => localDate(iso, timeZone),
    calendarDay: (day) => utcDate.format(new Date(`${day}T00:00:00Z`)),
    score: (v) => score.format(v),
    slope: (v) => slope.format(Math.abs(v) < 0.005 ? 0 : v),
    integer: (v) => integer.format(v),
  };
};
