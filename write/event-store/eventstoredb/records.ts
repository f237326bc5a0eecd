import { type EventData, type JSONType, jsonEvent } from '@eventstore/db-client';
import type { EventToAppend, Position, RecordedEvent } from '../port.ts';
import { packMetadata, unpackMetadata } from './metadata.ts';
import { exclusiveBound, isAfter, isBefore, isUserEvent } from './positions.ts';

/** The fields of a client's recorded event that we read (JSON and binary events both have them). */
export type EsdbRecord = {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position | undefined;
};

/** A read result: the event itself (links are not resolved, so a link is its own event). */
export type EsdbResolved = {
  readonly event?: EsdbRecord | undefined;
  readonly commitPosition?: bigint | undefined;
};

export const toEventData = (event: EventToAppend): EventData =>
  jsonEvent({
    id: event.id,
    type: event.type,
    // The client serialises with JSON.stringify, which has no text for undefined.
    data: (event.data === undefined ? null : event.data) as JSONType,
    metadata: packMetadata(event.version, event.metadata),
  });

/**
 * Servers before 22.6 send no position on stream reads, only the commit position of the
 * resolved event; it stands for both halves there.
 */
export const positionOf = (resolved: EsdbResolved): Position | undefined => {
  const { event, commitPosition } = resolved;
  if (event?.position) return { commit: event.position.commit, prepare: event.position.prepare };
  return commitPosition === undefined ? undefined : { commit: commitPosition, prepare: commitPosition };
};

export const toRecordedEvent = (event: EsdbRecord, position: Position): RecordedEvent => {
  const { version, metadata } = unpackMetadata(event.metadata);
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    version,
    data: event.data,
    metadata,
    createdAt: event.created,
  };
};

const START_FALLBACK: Position = { commit: 0n, prepare: 0n };

export const fromStreamRead = (resolved: readonly EsdbResolved[]): RecordedEvent[] =>
  resolved.flatMap((r) => (r.event ? [toRecordedEvent(r.event, positionOf(r) ?? START_FALLBACK)] : []));

/**
 * One forward page of $all read from `after`. EventStoreDB reads from a position inclusively,
 * our port reads after it: the event at exactly `after` is dropped here. `lastSeen` is the
 * newest position in the page past `after`, system events included, to continue from.
 */
export const pageAfter = (
  page: readonly EsdbResolved[],
  after: Position | undefined,
  types?: ReadonlySet<string>,
): { events: RecordedEvent[]; lastSeen: Position | undefined } => {
  const bound = exclusiveBound(after);
  const events: RecordedEvent[] = [];
  let lastSeen: Position | undefined;
  for (const resolved of page) {
    const position = positionOf(resolved);
    if (!resolved.event || !position || !isAfter(position, bound)) continue;
    lastSeen = position;
    if (
      isUserEvent(resolved.event.streamId, resolved.event.type) &&
      (!types || types.has(resolved.event.type))
    )
      events.push(toRecordedEvent(resolved.event, position));
  }
  return { events, lastSeen };
};

/**
 * One backward page of $all read from `before` (exclusive; undefined = from the end): the
 * newest user event's position, or where to continue when the page held only system events.
 */
export const newestUserPosition = (
  page: readonly EsdbResolved[],
  before: Position | undefined,
): { found: Position | undefined; lastSeen: Position | undefined } => {
  let lastSeen: Position | undefined;
  for (const resolved of page) {
    const position = positionOf(resolved);
    if (!resolved.event || !position || !isBefore(position, before)) continue;
    if (isUserEvent(resolved.event.streamId, resolved.event.type))
      return { found: position, lastSeen: position };
    lastSeen = position;
  }
  return { found: undefined, lastSeen };
};
