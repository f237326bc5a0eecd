/**
 * A `$all` catch-up subscription as the server runs one: confirmation, catch-up from the
 * requested position (exclusive), a checkpoint every `interval` records considered by a
 * filter (and one when catch-up ends), caught-up, then live events. A consumer that falls too
 * far behind while live is told so and caught up again from the log (servers since 23.10), or
 * has its subscription aborted (`slowConsumer: 'abort'`).
 */
import { randomUUID } from 'node:crypto';
import type streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { status } from '@grpc/grpc-js';
import { comparePositions, type EventLog, type LogPosition, type LogRecord } from './log.ts';
import {
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  eventResponse,
  fellBehindResponse,
  type ServerError,
  serverError,
} from './wire.ts';

export type RecordFilter = {
  readonly matches: (record: LogRecord) => boolean;
  /** Records considered between two checkpoints: the window times the multiplier. */
  readonly checkpointInterval: number;
};

export type SlowConsumer = 'catch-up' | 'abort';

/** The server's default filter window (its read batch size). */
const DEFAULT_WINDOW = 32;

export const filterOf = (options: streamsPb.ReadReq.Options): RecordFilter | undefined => {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const field = (r: LogRecord) => (onType ? r.type : r.streamId);
  const window = filter.hasMax() && filter.getMax() > 0 ? filter.getMax() : DEFAULT_WINDOW;
  const multiplier = Math.max(1, filter.getCheckpointintervalmultiplier());
  return {
    matches: (r) =>
      prefixes.length > 0
        ? prefixes.some((p) => field(r).startsWith(p))
        : regex
          ? regex.test(field(r))
          : true,
    checkpointInterval: window * multiplier,
  };
};

type Call = {
  write(message: streamsPb.ReadResp): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): void;
  emit(event: 'error', error: ServerError): boolean;
  readonly cancelled: boolean;
};

export type SubscriptionSettings = {
  /** Live events buffered for a consumer that does not read before it counts as behind. */
  readonly maxLiveBuffer: number;
  readonly slowConsumer: SlowConsumer;
  /** Whether a caught-up message marks the end of catch-up (servers since 23.10). */
  readonly caughtUp: boolean;
  /** Counts the subscriptions dropped. */
  readonly dropped: { count: number };
  /** Counts the times a subscription fell behind and was caught up again. */
  readonly fellBehind: { count: number };
  /** Counts the events sent. */
  readonly sent: { count: number };
};

/** Serves one subscription until the client cancels it or the server drops it. */
export const serveAllSubscription = async (
  log: EventLog,
  call: Call,
  from: LogPosition | 'start' | 'end',
  filter: RecordFilter | undefined,
  settings: SubscriptionSettings,
  signal: AbortSignal,
) => {
  const live: LogRecord[] = [];
  let overflowed = false;
  let dropped = false;
  let isLive = false;
  let wake: (() => void) | undefined;
  let unblock: (() => void) | undefined;
  const unsubscribe = log.onWrite((records) => {
    // Once behind, live records are not kept: catching up reads them from the log.
    if (dropped || !isLive || overflowed) return;
    live.push(...records);
    if (live.length > settings.maxLiveBuffer) {
      overflowed = true;
      if (settings.slowConsumer === 'catch-up') settings.fellBehind.count++;
      else {
        // The subscription is dropped at once, however much the client still has to read.
        dropped = true;
        settings.dropped.count++;
        call.emit(
          'error',
          serverError(status.ABORTED, 'Operation timed out: consumer too slow to handle events'),
        );
        unblock?.();
      }
    }
    wake?.();
  });
  signal.addEventListener(
    'abort',
    () => {
      wake?.();
      unblock?.();
    },
    { once: true },
  );

  let considered = 0;
  let last: LogPosition = from === 'end' ? log.end : from === 'start' ? { commit: 0n, prepare: 0n } : from;
  let lastConsidered: LogPosition | undefined;

  const send = async (message: streamsPb.ReadResp) => {
    if (call.write(message)) return;
    await new Promise<void>((resolve) => {
      unblock = resolve;
      call.once('drain', resolve);
    });
    unblock = undefined;
  };

  const consider = async (record: LogRecord) => {
    if (comparePositions(record, last) <= 0) return;
    last = record;
    lastConsidered = record;
    considered++;
    if (!filter || filter.matches(record)) {
      settings.sent.count++;
      await send(eventResponse(record));
    }
    if (filter && considered % filter.checkpointInterval === 0) await send(checkpointResponse(record));
  };

  try {
    await send(confirmationResponse(randomUUID()));
    for (;;) {
      // Catch-up: everything in the log after `last`, read as the log grows.
      isLive = false;
      overflowed = false;
      let index = isStart(last) ? 0 : log.indexAtOrAfter(last);
      while (index < log.records.length) {
        if (signal.aborted || call.cancelled || dropped) return;
        await consider(log.records[index]!);
        index++;
      }
      // From here (no await since the last look at the log) new records arrive live.
      live.length = 0;
      isLive = true;
      if (filter && lastConsidered) await send(checkpointResponse(lastConsidered));
      if (settings.caughtUp) await send(caughtUpResponse());

      // Live.
      for (;;) {
        if (signal.aborted || call.cancelled || dropped) return;
        if (overflowed) break;
        const record = live.shift();
        if (record) {
          await consider(record);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (dropped) return;
      await send(fellBehindResponse());
      if (filter && lastConsidered) await send(checkpointResponse(lastConsidered));
    }
  } finally {
    unsubscribe();
  }
};

const isStart = (p: LogPosition) => p.commit === 0n && p.prepare === 0n;
