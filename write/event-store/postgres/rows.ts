import type { Position, RecordedEvent } from '../port.ts';

export type EventRow = {
  global_position: string;
  commit_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  created_at: Date;
};

export const eventColumns =
  // The text cast gets its own name: an ORDER BY on `transaction_id` must sort the xid8, not text.
  'global_position, transaction_id::text AS commit_position, event_id, stream_id, stream_revision, type, version, data, metadata, created_at';

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  streamId: row.stream_id,
  revision: BigInt(row.stream_revision),
  position: { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) },
  type: row.type,
  version: row.version,
  data: row.data,
  metadata: row.metadata,
  createdAt: row.created_at,
});

export const positionParams = (p: Position): [string, string] => [p.commit.toString(), p.prepare.toString()];
