import { comparePositions, type Position } from '../../../write/event-store/port.ts';
/**
 * The transaction log of the EventStoreDB test double: one ordered list of event records
 * (the `$all` stream) and the streams' state, with the server's documented write rules:
 * expected revisions, idempotent appends by event id, soft delete and tombstones.
 *
 * Positions are byte offsets, as on the server: an event's prepare position is where its
 * record starts; all the events of one append share the commit position of the append's
 * first record. (commit, prepare) pairs grow strictly along the log.
 */

export type Expected =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type Proposed = {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
};

export type LogRecord = Proposed & {
  readonly streamId: string;
  readonly revision: bigint;
  readonly commit: bigint;
  readonly prepare: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly created: bigint;
};

/** A position in the log: the same (commit, prepare) pair, and order, as the store port's. */
export type LogPosition = Position;

export type AppendOutcome =
  | { readonly kind: 'success'; readonly revision: bigint; readonly position: LogPosition }
  | {
      readonly kind: 'wrong_expected_version';
      readonly current: bigint | 'no_stream';
      readonly expected: Expected;
    }
  | { readonly kind: 'stream_deleted' };

/** The revision the server gives a tombstone: long.MaxValue. */
export const TOMBSTONE_REVISION = 2n ** 63n - 1n;

type StreamState = {
  readonly records: LogRecord[];
  /** Revisions below this are hidden (a soft delete truncates the stream before its end). */
  truncateBefore: bigint;
  softDeleted: boolean;
  tombstoned: boolean;
};

/** Where the log starts: the server's first records (epochs, chaser checkpoints) come before. */
const FIRST_RECORD = 1024n;
/** A record's fixed overhead in bytes, besides its data and metadata. */
const RECORD_HEADER = 88n;
const TICKS_AT_EPOCH = 0n;

export class EventLog {
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  /** Recently written event ids (the server's in-memory commit cache), oldest first. */
  private readonly recentIds = new Map<string, { streamId: string; revision: bigint }>();
  private readonly listeners = new Set<(records: readonly LogRecord[]) => void>();
  private next = FIRST_RECORD;
  private readonly idCacheSize: number;

  constructor(idCacheSize = 100_000) {
    this.idCacheSize = idCacheSize;
  }

  /** The position after the last record: where the next write goes. */
  get end(): LogPosition {
    return { commit: this.next, prepare: this.next };
  }

  onWrite(listener: (records: readonly LogRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the commit cache, as a server restart does (idempotence then needs a revision). */
  forgetRecentIds() {
    this.recentIds.clear();
  }

  stream(
    streamId: string,
  ):
    | { readonly kind: 'missing' }
    | { readonly kind: 'deleted' }
    | { readonly kind: 'live'; readonly records: readonly LogRecord[] } {
    const state = this.streams.get(streamId);
    if (!state) return { kind: 'missing' };
    if (state.tombstoned) return { kind: 'deleted' };
    const visible = state.records.filter((r) => r.revision >= state.truncateBefore);
    if (state.softDeleted || visible.length === 0) return { kind: 'missing' };
    return { kind: 'live', records: visible };
  }

  append(streamId: string, events: readonly Proposed[], expected: Expected): AppendOutcome {
    const state = this.streams.get(streamId);
    if (state?.tombstoned) return { kind: 'stream_deleted' };
    const last = state?.records.at(-1)?.revision ?? -1n;
    const current: bigint | 'no_stream' = last === -1n ? 'no_stream' : last;
    const wrong = (): AppendOutcome => ({ kind: 'wrong_expected_version', current, expected });

    if (state?.softDeleted && expected.kind === 'stream_exists') return { kind: 'stream_deleted' };
    switch (expected.kind) {
      case 'any':
      case 'stream_exists': {
        if (expected.kind === 'stream_exists' && last === -1n) return wrong();
        const cached = this.fromCommitCache(streamId, events);
        if (cached === 'partial') return wrong();
        if (cached) return cached;
        break;
      }
      case 'no_stream':
      case 'revision': {
        const wanted = expected.kind === 'no_stream' ? -1n : expected.revision;
        // A soft-deleted stream is written again after its last revision, whatever it was.
        const effective = state?.softDeleted && expected.kind === 'no_stream' ? last : wanted;
        if (effective === last) break;
        if (effective > last) return wrong();
        const repeated = this.repeatedAfter(state!, effective, events);
        return repeated ?? wrong();
      }
    }
    return this.write(streamId, events);
  }

  /** Writes a system record (stream metadata and the like) to the log. */
  appendSystem(streamId: string, type: string, data: unknown): LogPosition {
    const state = this.streams.get(streamId);
    const revision = (state?.records.at(-1)?.revision ?? -1n) + 1n;
    return this.writeRecords(streamId, [json(type, data)], revision).position;
  }

  /** Soft delete: the stream reads as not found; a later append writes it again after its end. */
  softDelete(streamId: string, expected: Expected): AppendOutcome {
    const state = this.streams.get(streamId);
    if (state?.tombstoned) return { kind: 'stream_deleted' };
    const last = state?.records.at(-1)?.revision ?? -1n;
    const refused = this.checkDelete(last, expected);
    if (refused) return refused;
    if (!state || last === -1n) return { kind: 'wrong_expected_version', current: 'no_stream', expected };
    state.softDeleted = true;
    state.truncateBefore = last + 1n;
    const position = this.appendSystem(`$$${streamId}`, '$metadata', { $tb: Number(last + 1n) });
    return { kind: 'success', revision: last, position };
  }

  /** Tombstone: the stream is gone for good; reads and appends report it deleted. */
  tombstone(streamId: string, expected: Expected): AppendOutcome {
    const state = this.streams.get(streamId);
    if (state?.tombstoned) return { kind: 'stream_deleted' };
    const last = state?.records.at(-1)?.revision ?? -1n;
    const refused = this.checkDelete(last, expected);
    if (refused) return refused;
    const { position } = this.writeRecords(streamId, [json('$streamDeleted', null)], TOMBSTONE_REVISION);
    this.streams.get(streamId)!.tombstoned = true;
    return { kind: 'success', revision: TOMBSTONE_REVISION, position };
  }

  private checkDelete(last: bigint, expected: Expected): AppendOutcome | undefined {
    const current: bigint | 'no_stream' = last === -1n ? 'no_stream' : last;
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && last === -1n) ||
      (expected.kind === 'stream_exists' && last !== -1n) ||
      (expected.kind === 'revision' && expected.revision === last);
    return ok ? undefined : { kind: 'wrong_expected_version', current, expected };
  }

  /**
   * With an expected revision below the stream's, the events stored right after it are
   * compared with the ones proposed: all the same ids in order is a repeat (success, nothing
   * written); anything else, a partial match included, is a wrong expected version.
   */
  private repeatedAfter(state: StreamState, after: bigint, events: readonly Proposed[]) {
    const stored = state.records.filter((r) => r.revision > after).slice(0, events.length);
    if (stored.length !== events.length) return undefined;
    if (!stored.every((r, i) => r.id === events[i]!.id)) return undefined;
    const lastStored = stored.at(-1)!;
    return {
      kind: 'success' as const,
      revision: lastStored.revision,
      position: { commit: lastStored.commit, prepare: lastStored.prepare },
    };
  }

  /**
   * With `any` or `stream_exists` the server only looks in its cache of recently committed
   * ids: the first id found there makes it compare the rest; all found in sequence is a repeat,
   * some of them is a wrong expected version.
   */
  private fromCommitCache(streamId: string, events: readonly Proposed[]) {
    const first = this.recentIds.get(events[0]!.id);
    if (!first || first.streamId !== streamId) return undefined;
    const state = this.streams.get(streamId)!;
    const stored = state.records.filter((r) => r.revision >= first.revision).slice(0, events.length);
    if (stored.length !== events.length || !stored.every((r, i) => r.id === events[i]!.id))
      return 'partial' as const;
    const lastStored = stored.at(-1)!;
    return {
      kind: 'success' as const,
      revision: lastStored.revision,
      position: { commit: lastStored.commit, prepare: lastStored.prepare },
    };
  }

  private write(streamId: string, events: readonly Proposed[]): AppendOutcome {
    const state = this.streams.get(streamId);
    if (state) state.softDeleted = false;
    const first = (state?.records.at(-1)?.revision ?? -1n) + 1n;
    const { position, last } = this.writeRecords(streamId, events, first);
    return { kind: 'success', revision: last, position };
  }

  private writeRecords(streamId: string, events: readonly Proposed[], firstRevision: bigint) {
    let state = this.streams.get(streamId);
    if (!state) {
      state = { records: [], truncateBefore: 0n, softDeleted: false, tombstoned: false };
      this.streams.set(streamId, state);
    }
    const commit = this.next;
    const created = TICKS_AT_EPOCH + BigInt(Date.now()) * 10_000n;
    const written: LogRecord[] = [];
    events.forEach((event, i) => {
      const record: LogRecord = {
        ...event,
        streamId,
        revision: firstRevision + BigInt(i),
        commit,
        prepare: this.next,
        created,
      };
      this.next += RECORD_HEADER + BigInt(event.data.length + event.metadata.length + streamId.length);
      written.push(record);
      state.records.push(record);
      this.records.push(record);
      this.remember(record);
    });
    const last = written.at(-1)!;
    for (const listener of this.listeners) listener(written);
    return { position: { commit: last.commit, prepare: last.prepare }, last: last.revision };
  }

  private remember(record: LogRecord) {
    this.recentIds.set(record.id, { streamId: record.streamId, revision: record.revision });
    if (this.recentIds.size > this.idCacheSize) {
      const oldest = this.recentIds.keys().next().value;
      if (oldest !== undefined) this.recentIds.delete(oldest);
    }
  }

  /** Index of the first record at or after a position (records.length when none). */
  indexAtOrAfter(position: LogPosition): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePositions(this.records[mid]!, position) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True for the start, the end and the exact position of a record: what a read may start from. */
  isValidPosition(position: LogPosition): boolean {
    if (position.commit === 0n && position.prepare === 0n) return true;
    if (comparePositions(position, this.end) >= 0) return true;
    const record = this.records[this.indexAtOrAfter(position)];
    return record !== undefined && comparePositions(record, position) === 0;
  }
}

const json = (type: string, data: unknown): Proposed => ({
  id: crypto.randomUUID(),
  type,
  contentType: 'application/json',
  data: Buffer.from(JSON.stringify(data)),
  metadata: new Uint8Array(),
});

export { comparePositions };
