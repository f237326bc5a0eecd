import { round2, trendSlopes } from '../growth/model.ts';
import type { SessionPoint } from '../growth/recent.ts';

export type ActiveTargetRow = {
  targetId: string;
  userId: string;
  rubric: { id: string; version: number };
  skill: string;
  level: number;
  dueDate: string;
  setBy: string;
  setAt: string;
};

export type TargetStatus = 'achieved' | 'on_track' | 'at_risk' | 'overdue' | 'no_data';

export type TargetProgress = ActiveTargetRow & {
  /** The rep's current level in the skill; null when they have no score in it. */
  current: number | null;
  /** How far the current level is below the target (0 when reached). */
  gap: number | null;
  /** Days from today to the due date (negative once past). */
  daysLeft: number;
  /** The level the recent trend reaches by the due date. */
  projected: number | null;
  status: TargetStatus;
};

const dayMs = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/**
 * Points per day of the recent trend: the least-squares slope per session (growth/model.ts)
 * times how many sessions a day the rep has had over the same window.
 */
export const slopePerDay = (sessions: readonly SessionPoint[], skill: string): number => {
  if (sessions.length < 2) return 0;
  const perSession =
    trendSlopes(
      sessions.map((s) => s.averages),
      [skill],
    )[skill] ?? 0;
  const spanDays = Math.max(
    1,
    (Date.parse(sessions.at(-1)!.startedAt) - Date.parse(sessions[0]!.startedAt)) / dayMs,
  );
  return (perSession * (sessions.length - 1)) / spanDays;
};

/**
 * A target against the rep's level today and where their recent trend takes it by the due date:
 * reached, on track (the projection reaches it), at risk (it does not) or overdue.
 */
export const targetProgress = (
  target: ActiveTargetRow,
  current: Readonly<Record<string, number>> | undefined,
  sessions: readonly SessionPoint[],
  today: string,
): TargetProgress => {
  const daysLeft = daysBetween(today, target.dueDate);
  const level = current?.[target.skill];
  if (level === undefined || sessions.length === 0) {
    return { ...target, current: null, gap: null, daysLeft, projected: null, status: 'no_data' };
  }
  const projected = Math.min(
    5,
    Math.max(1, level + slopePerDay(sessions, target.skill) * Math.max(0, daysLeft)),
  );
  const status: TargetStatus =
    level >= target.level
      ? 'achieved'
      : daysLeft < 0
        ? 'overdue'
        : projected >= target.level
          ? 'on_track'
          : 'at_risk';
  return {
    ...target,
    current: round2(level),
    gap: round2(Math.max(0, target.level - level)),
    daysLeft,
    projected: round2(projected),
    status,
  };
};
