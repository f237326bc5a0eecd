import type pg from 'pg';
import type { EventStore, EventToAppend, Position } from '../../write/event-store/port.ts';
import { parsePosition } from '../../write/event-store/port.ts';
import type { CheckpointMap } from './checkpoint-map.ts';
import { type EventLine, eventLineSchema } from './format.ts';
import { readGzipLines } from './ndjson-gzip.ts';

/** `last`: the new position of the backup's last event in the target (null for an empty backup). */
export type ImportResult = { appended: number; present: number; last: Position | null };

export class RestoreConflictError extends Error {
  override name = 'RestoreConflictError';
}

async function* eventLines(file: string): AsyncGenerator<EventLine> {
  let n = 0;
  for await (const line of readGzipLines(file)) {
    n++;
    const parsed = eventLineSchema.safeParse(JSON.parse(line));
    if (!parsed.success)
      throw new RestoreConflictError(`events line ${n} is not an event: ${parsed.error.issues[0]?.message}`);
    yield parsed.data;
  }
}

/**
 * Postgres store, empty target: rows inserted directly, a batch per transaction, in backup
 * order. Within a transaction the identity column grows in insertion order, and transactions
 * run one after the other, so the global order (transaction id, sequence) is the backup's;
 * the numbers themselves are new. created_at is kept, which append() could not do.
 */
export const importIntoPostgres = async (
  pool: pg.Pool,
  file: string,
  map: CheckpointMap,
  onProgress: (done: number) => void,
  batchSize = 1000,
): Promise<ImportResult> => {
  let appended = 0;
  let last: Position | null = null;
  let batch: EventLine[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ event_id: string; commit: string; prepare: string }>(
        `INSERT INTO es_events (event_id, stream_id, stream_revision, type, version, data, metadata, created_at)
         SELECT (x ->> 'id')::uuid, x ->> 'stream', (x ->> 'revision')::bigint, x ->> 'type', (x ->> 'version')::integer,
                x -> 'data', x -> 'metadata', (x ->> 'created')::timestamptz
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(x, ord)
          ORDER BY ord
         RETURNING event_id::text, transaction_id::text AS commit, global_position::text AS prepare`,
        [JSON.stringify(batch)],
      );
      await client.query(
        `INSERT INTO es_streams (stream_id, revision)
         SELECT stream_id, max(stream_revision) FROM es_events WHERE stream_id = ANY ($1::text[]) GROUP BY stream_id
         ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, updated_at = now()`,
        [[...new Set(batch.map((e) => e.stream))]],
      );
      await client.query('COMMIT');
      const positions = new Map(
        rows.map((r) => [r.event_id, { commit: BigInt(r.commit), prepare: BigInt(r.prepare) }]),
      );
      for (const e of batch) {
        last = positions.get(e.id)!;
        map.record(parsePosition(e.position), last);
      }
      appended += batch.length;
      batch = [];
      onProgress(appended);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  for await (const e of eventLines(file)) {
    batch.push(e);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { appended, present: 0, last };
};

type StreamState = { ids: Map<bigint, { id: string; position: Position }>; next: bigint };

/**
 * Through the port, for either store and for `--force`: each stream's existing events must be
 * the backup's first events of that stream (same ids at the same revisions); those are skipped,
 * the rest appended with the expected revision, consecutive events of a stream in one append.
 * A stream that differs stops the restore before anything of it is written.
 */
export const importThroughPort = async (
  store: EventStore,
  file: string,
  map: CheckpointMap,
  onProgress: (done: number) => void,
  groupSize = 500,
): Promise<ImportResult> => {
  const streams = new Map<string, StreamState>();
  let appended = 0;
  let present = 0;
  let last: Position | null = null;
  let group: { stream: string; first: bigint; events: EventToAppend[]; lastOld: Position } | null = null;

  const flush = async () => {
    if (!group) return;
    const g = group;
    group = null;
    const expected = g.first === 0n ? ('no_stream' as const) : g.first - 1n;
    const result = await store.append(g.stream, g.events, expected);
    streams.get(g.stream)!.next = g.first + BigInt(g.events.length);
    last = result.position;
    map.record(g.lastOld, result.position);
    appended += g.events.length;
    onProgress(appended + present);
  };

  const stateOf = async (stream: string): Promise<StreamState> => {
    let state = streams.get(stream);
    if (!state) {
      const existing = await store.readStream(stream, { maxCount: 10_000_000 });
      state = {
        ids: new Map(existing.map((e) => [e.revision, { id: e.id, position: e.position }])),
        next: BigInt(existing.length),
      };
      streams.set(stream, state);
    }
    return state;
  };

  for await (const e of eventLines(file)) {
    const oldPosition = parsePosition(e.position);
    const revision = BigInt(e.revision);
    const state = await stateOf(e.stream);
    const existing = state.ids.get(revision);
    if (existing) {
      if (existing.id !== e.id) {
        throw new RestoreConflictError(
          `stream ${e.stream} differs from the backup at revision ${revision} (event ${existing.id} in the store, ${e.id} in the backup)`,
        );
      }
      await flush();
      last = existing.position;
      map.record(oldPosition, existing.position);
      present++;
      continue;
    }
    if (group && (group.stream !== e.stream || group.events.length >= groupSize)) await flush();
    if (map.crossesBoundary(oldPosition)) {
      await flush();
      map.close(oldPosition);
    }
    const expectedNext: bigint = group ? group.first + BigInt(group.events.length) : state.next;
    if (revision !== expectedNext) {
      throw new RestoreConflictError(
        `stream ${e.stream} has ${state.next} events in the store; the backup's next one is revision ${revision}`,
      );
    }
    const event: EventToAppend = {
      id: e.id,
      type: e.type,
      version: e.version,
      data: e.data,
      metadata: e.metadata,
    };
    if (group) {
      group.events.push(event);
      group.lastOld = oldPosition;
    } else group = { stream: e.stream, first: revision, events: [event], lastOld: oldPosition };
  }
  await flush();
  return { appended, present, last };
};
