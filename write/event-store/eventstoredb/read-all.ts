import { BACKWARDS, END, type EventStoreDBClient, START as FROM_START } from '@eventstore/db-client';
import { comparePositions, type Position, type RecordedEvent } from '../port.ts';
import { countingReceived, serverFilter } from './filters.ts';
import { isAfter, isUserEvent } from './positions.ts';
import { type EsdbResolved, positionOf, toRecordedEvent } from './records.ts';

export type ReadAllRequest = {
  /** Exclusive; undefined = from the start. */
  readonly after: Position | undefined;
  readonly maxCount: number;
  readonly types: readonly string[] | undefined;
};

const collect = async <T>(read: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of read) out.push(item);
  return out;
};

/**
 * One batch of $all after a position, filtered by the server (the client's `readAll` sends no
 * filter, so this reads through a filtered subscription): only the events asked for cross the
 * wire. The batch ends when it is full, when the server says it caught up (servers since 23.10)
 * or when an event or a checkpoint reaches the newest record that was in $all at the start.
 */
export const readAllFiltered = async (
  client: EventStoreDBClient,
  { after, maxCount, types }: ReadAllRequest,
): Promise<RecordedEvent[]> => {
  if (maxCount <= 0) return [];
  const [newest] = await collect<EsdbResolved>(
    client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }),
  );
  const head = newest ? positionOf(newest) : undefined;
  if (!head || !isAfter(head, after)) return [];

  const out: RecordedEvent[] = [];
  let read = 0;
  /** Set once the server has sent all there is: the events it received before then are the last. */
  let lastToRead: number | undefined;
  let wake: (() => void) | undefined;
  const reached = (position: Position) => comparePositions(position, head) >= 0;
  const source = countingReceived(
    client.subscribeToAll(
      {
        fromPosition: after ?? FROM_START,
        filter: serverFilter(types, (position) => {
          if (reached(position)) finish();
        }),
      },
      { highWaterMark: Math.min(maxCount, 1000) },
    ),
  );
  function finish() {
    lastToRead ??= source.received();
    wake?.();
  }
  source.on('caughtUp', finish);
  const wanted = types ? new Set(types) : undefined;
  const iterator = source[Symbol.asyncIterator]();
  const woke = Symbol('woke');
  let pending: Promise<IteratorResult<unknown>> | undefined;
  try {
    while (out.length < maxCount && (lastToRead === undefined || read < lastToRead)) {
      const woken = new Promise<typeof woke>((resolve) => {
        wake = () => resolve(woke);
      });
      pending ??= iterator.next();
      const next = await Promise.race([pending, woken]);
      if (next === woke) continue;
      pending = undefined;
      if (next.done) break;
      read++;
      const resolved = next.value as EsdbResolved;
      const position = positionOf(resolved);
      if (!resolved.event || !position || !isAfter(position, after)) continue;
      if (
        isUserEvent(resolved.event.streamId, resolved.event.type) &&
        (!wanted || wanted.has(resolved.event.type))
      )
        out.push(toRecordedEvent(resolved.event, position));
      if (reached(position)) break;
    }
  } finally {
    await source.unsubscribe().catch(() => {});
    source.destroy();
  }
  return out;
};
