import { type AllStreamSubscription, eventTypeFilter, excludeSystemEvents } from '@eventstore/db-client';
import type { Position } from '../port.ts';
import type { SubscriptionSource } from './subscription.ts';

/** Records the server considers between two checkpoints of a filtered subscription: its window (32) times this. */
const checkpointIntervalMultiplier = 4;

/** A regex matching exactly these event types. */
export const exactTypes = (types: readonly string[]) =>
  `^(?:${types.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;

/**
 * The filter the server applies to a subscription to $all: only these event types, or every
 * event that is not a system event. Its checkpoints come to `onCheckpoint`.
 */
export const serverFilter = (
  types: readonly string[] | undefined,
  onCheckpoint: (position: Position) => void,
) => {
  const options = {
    checkpointInterval: checkpointIntervalMultiplier,
    checkpointReached: (_: unknown, position: Position) => onCheckpoint(position),
  };
  return types ? eventTypeFilter({ regex: exactTypes(types), ...options }) : excludeSystemEvents(options);
};

/**
 * Counts the events a client subscription has received, read or not, so that a checkpoint can
 * be applied after exactly the events sent before it. The client converts each received event
 * through its (protected) `convertGrpcEvent`, in the order the server sent them.
 */
export const countingReceived = (
  source: AllStreamSubscription,
): SubscriptionSource & AllStreamSubscription & { received(): number } => {
  let received = 0;
  const internals = source as unknown as { convertGrpcEvent: (event: unknown) => unknown };
  const convert = internals.convertGrpcEvent;
  internals.convertGrpcEvent = (event) => {
    received++;
    return convert.call(source, event);
  };
  return Object.assign(source, { received: () => received });
};
