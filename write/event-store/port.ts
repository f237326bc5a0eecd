/**
 * The event store port. Two adapters implement it (Postgres, EventStoreDB) and pass one
 * contract suite (test/contract/event-store.contract.ts).
 *
 * Positions are pairs, as in EventStoreDB: in the Postgres store `commit` is the writing
 * transaction's id and `prepare` the event's sequence number. The global order is the order
 * of positions, and a subscriber that has seen a position never later meets a smaller one.
 */
export type Position = { readonly commit: bigint; readonly prepare: bigint };

export const START: Position = Object.freeze({ commit: 0n, prepare: 0n });

export const comparePositions = (a: Position, b: Position): number =>
  a.commit === b.commit
    ? a.prepare === b.prepare
      ? 0
      : a.prepare < b.prepare
        ? -1
        : 1
    : a.commit < b.commit
      ? -1
      : 1;

export const positionToString = (p: Position): string => `${p.commit}/${p.prepare}`;
export const parsePosition = (s: string): Position => {
  const match = /^(\d+)\/(\d+)$/.exec(s);
  if (!match) throw new Error(`not a position: ${s}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
};

/** `no_stream`: the stream must not exist; `stream_exists`: it must; a bigint: its last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type EventToAppend = {
  /** A UUID; appending an event whose id is already in the stream is a no-op (idempotence). */
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
};

export type RecordedEvent = {
  readonly id: string;
  readonly streamId: string;
  /** 0, 1, 2, … within its stream. */
  readonly revision: bigint;
  readonly position: Position;
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: Date;
};

export type AppendResult = {
  /** The stream's revision after the append (the last event's revision). */
  readonly nextRevision: bigint;
  /** The position of the last event appended (or found, for a repeated append). */
  readonly position: Position;
  /** True when every event was already stored: nothing new was written. */
  readonly duplicate: boolean;
};

export type ReadStreamOptions = {
  readonly fromRevision?: bigint;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
};

export type ReadAllOptions = {
  /** Exclusive: events after this position. */
  readonly after?: Position;
  readonly maxCount?: number;
  /** Only events of these types (a projection reads only what it handles); all when omitted. */
  readonly types?: readonly string[];
};

export type SubscribeOptions = {
  /** Exclusive: the checkpoint already processed; omitted = from the start. */
  readonly after?: Position;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** Only events of these types; all when omitted. */
  readonly types?: readonly string[];
};

/**
 * A live subscription to all events in global order: it first catches up, then tails.
 * Iterate it; `close()` (or the abort signal) ends the iteration.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export type StoreHealth = { readonly ok: boolean; readonly latencyMs: number; readonly detail?: string };

export interface EventStore {
  readonly kind: 'postgres' | 'eventstoredb';
  append(
    streamId: string,
    events: readonly EventToAppend[],
    expectedRevision?: ExpectedRevision,
  ): Promise<AppendResult>;
  /** Events of one stream; empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One batch of events after a position, in global order, without system events. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** The position of the newest event visible to subscribers (START when empty). */
  headPosition(): Promise<Position>;
  /**
   * How many events come after a position, counting at most `cap` (for lag and progress).
   * Optional: a store that cannot count cheaply leaves it out.
   */
  countEventsAfter?(after: Position, cap: number, types?: readonly string[]): Promise<number>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
