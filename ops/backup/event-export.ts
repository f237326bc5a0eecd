import { comparePositions, type EventStore, positionToString, START } from '../../write/event-store/port.ts';
import type { EventLine } from './format.ts';
import { openGzipLineWriter } from './ndjson-gzip.ts';

export type EventExport = { count: number; streams: number; head: string };

/**
 * Every event up to the head seen at the start, in global order, exactly as stored: fields
 * that are sealed (encrypted) stay sealed, old versions stay old — no codec runs here.
 */
export const exportEvents = async (
  store: EventStore,
  file: string,
  onBatch: (done: number) => void,
  batchSize = 1000,
): Promise<EventExport> => {
  const head = await store.headPosition();
  const writer = openGzipLineWriter(file);
  const streams = new Set<string>();
  let count = 0;
  let after = START;
  try {
    outer: for (;;) {
      const batch = await store.readAll({ after, maxCount: batchSize });
      if (batch.length === 0) break;
      for (const e of batch) {
        // Events appended while the backup runs belong to the next backup.
        if (comparePositions(e.position, head) > 0) break outer;
        const line: EventLine = {
          position: positionToString(e.position),
          stream: e.streamId,
          revision: e.revision.toString(),
          id: e.id,
          type: e.type,
          version: e.version,
          data: e.data,
          metadata: e.metadata,
          created: e.createdAt.toISOString(),
        };
        await writer.write(JSON.stringify(line));
        streams.add(e.streamId);
        count++;
      }
      after = batch[batch.length - 1]!.position;
      onBatch(count);
    }
  } finally {
    await writer.close();
  }
  return { count, streams: streams.size, head: positionToString(head) };
};
