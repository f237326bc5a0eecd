import { isoWeek } from '../growth/queries.ts';

/** An instant as the workspace sees it: its date, ISO week, weekday (1 = Monday) and time of day. */
export type ZonedTime = { date: string; week: string; weekday: number; hour: number; minute: number };

const formats = new Map<string, Intl.DateTimeFormat>();
const formatOf = (timeZone: string) => {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
};

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const zonedTime = (instant: Date, timeZone: string): ZonedTime => {
  const parts = Object.fromEntries(
    formatOf(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    date,
    week: isoWeek(`${date}T12:00:00Z`),
    weekday: weekdays.indexOf(String(parts.weekday)) + 1,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
};

/** The date `days` before a `YYYY-MM-DD` date. */
export const daysBefore = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
