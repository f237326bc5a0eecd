import { zonedTime } from '../../projections/targets/calendar.ts';
import type { DigestSchedule } from '../../schemas/digest-schedule.ts';
import type { DigestRunReport } from './send.ts';

export type DigestSchedulerOptions = {
  schedule: Exclude<DigestSchedule, 'off'>;
  timeZone: string;
  /** One pass: the digests of the week to everyone (send.ts, with claims across processes). */
  run: (week: string) => Promise<DigestRunReport>;
  onError: (error: unknown) => void;
  clock?: () => Date;
  pollMs?: number;
};

/** Whether the week's send time has come (in the workspace's time zone). */
export const digestDue = (now: Date, schedule: Exclude<DigestSchedule, 'off'>, timeZone: string) => {
  const t = zonedTime(now, timeZone);
  const due =
    t.weekday > schedule.weekday ||
    (t.weekday === schedule.weekday && t.hour * 60 + t.minute >= schedule.hour * 60 + schedule.minute);
  return { due, week: t.week };
};

/**
 * Runs the weekly digest in a background process: from the scheduled time on, a pass every
 * `pollMs` until one finishes with nothing left (no failure, no claim held by a process that
 * may have died). Every background process runs it; the claims make each digest go out once.
 * A process started late in the week still sends that week's digests.
 */
export const startDigestScheduler = (options: DigestSchedulerOptions): { stop: () => Promise<void> } => {
  const clock = options.clock ?? (() => new Date());
  let doneWeek: string | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    const { due, week } = digestDue(clock(), options.schedule, options.timeZone);
    if (!due || doneWeek === week) return;
    running = options
      .run(week)
      .then((report) => {
        if (report.failed === 0 && report.busy === 0) doneWeek = week;
      })
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.pollMs ?? 60_000);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
