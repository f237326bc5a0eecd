/**
 * Calendar days in the display time zone. The dashboard speaks in days ("as of 2026-03-02",
 * "the week of …"), the data in instants; these convert between them without a date library.
 */

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-03-02` of an instant, in `timeZone`. */
export const localDate = (instant: Date | string | number, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
};

/** The zone's UTC offset on a day, as `+09:00`. */
export const zoneOffset = (date: string, timeZone: string): string => {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d{2}:\d{2})/.exec(name ?? '');
  return match?.[1] ?? '+00:00';
};

/** The last millisecond of a calendar day in `timeZone`: "as of that day" includes all of it. */
export const endOfLocalDay = (date: string, timeZone: string): string =>
  new Date(Date.parse(`${date}T23:59:59.999${zoneOffset(date, timeZone)}`)).toISOString();

export const isCalendarDate = (value: string): boolean => {
  const match = isoDate.exec(value);
  if (!match) return false;
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return d.toISOString().slice(0, 10) === value;
};

/** Calendar arithmetic on `YYYY-MM-DD` (no time zone involved). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The Monday of the ISO week a calendar day is in. */
export const mondayOf = (date: string): string => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
};
