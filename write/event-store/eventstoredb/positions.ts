import { comparePositions, type Position } from '../port.ts';

/** START (0/0) means "nothing seen yet": reads and subscriptions then begin at the very start. */
export const isStart = (p: Position): boolean => p.commit === 0n && p.prepare === 0n;

/** The exclusive lower bound for a read: undefined when reading from the start. */
export const exclusiveBound = (after: Position | undefined): Position | undefined =>
  after === undefined || isStart(after) ? undefined : after;

export const isAfter = (p: Position, bound: Position | undefined): boolean =>
  bound === undefined || comparePositions(p, bound) > 0;

export const isBefore = (p: Position, bound: Position | undefined): boolean =>
  bound === undefined || comparePositions(p, bound) < 0;

/**
 * System events (types starting with `$`: links, stream metadata, statistics, epochs) and
 * anything in a system stream are EventStoreDB's own bookkeeping, never ours.
 */
export const isUserEvent = (streamId: string, type: string): boolean =>
  !type.startsWith('$') && !streamId.startsWith('$');
