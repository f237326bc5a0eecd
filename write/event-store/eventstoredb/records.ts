import { type EventData, type JSONType, jsonEvent } from '@eventstore/db-client';
import type { EventToAppend, Position, RecordedEvent } from '../port.ts';
import { packMetadata, unpackMetadata } from './metadata.ts';
import { isBefore, isUserEvent } from './positions.ts';

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

/** −1 as an unsigned 64-bit number: what servers send for "no position". */
export const NO_POSITION = 2n ** 64n - 1n;

const known = (value: bigint | undefined): value is bigint => value !== undefined && value !== NO_POSITION;

/**
 * An event's position in $all. Servers before 22.6 know none for events read from a stream:
 * they send −1/−1 (2⁶⁴−1), which is no position, and at most the commit position of the
 * resolved event, which then stands for both halves. Undefined when nothing is known.
 */
export const positionOf = (resolved: EsdbResolved): Position | undefined => {
  const { event, commitPosition } = resolved;
  if (event?.position && known(event.position.commit) && known(event.position.prepare))
    return { commit: event.position.commit, prepare: event.position.prepare };
  return known(commitPosition) ? { commit: commitPosition, prepare: commitPosition } : undefined;
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

/**
 * An event read from a stream without a known position (servers before 22.6) gets START:
 * "not after anything", so a checkpoint taken from it can only make a reader re-read, never
 * skip (2⁶⁴−1 would have put it after every event there will ever be).
 */
const START_FALLBACK: Position = { commit: 0n, prepare: 0n };

export const fromStreamRead = (resolved: readonly EsdbResolved[]): RecordedEvent[] =>
  resolved.flatMap((r) => (r.event ? [toRecordedEvent(r.event, positionOf(r) ?? START_FALLBACK)] : []));

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
