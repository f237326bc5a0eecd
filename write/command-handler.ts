import type { CommandMetadata } from '../schemas/commands.ts';
import { isAppError, PartialRepeatError } from '../schemas/errors.ts';
import { type EventMetadata, eventDefinitions, makeEvent, type SalesEvent } from '../schemas/events/index.ts';
import type { EventDraft } from './event-draft.ts';
import type { EventCodec } from './event-store/codec.ts';
import type { AppendResult, EventStore, ExpectedRevision } from './event-store/port.ts';
import { deterministicId } from './ids.ts';

export type Decider<State> = {
  initialState: () => State;
  evolve: (state: State, event: SalesEvent) => State;
};

export type HandleResult<State> = {
  /** The events this call appended; empty when the command had already been applied. */
  events: SalesEvent[];
  state: State;
  append: AppendResult | null;
};

export type HandlerOptions = {
  /** Attempts when another writer appended to the stream between our read and our append. */
  maxAttempts?: number;
  /** A fixed delay function for tests; defaults to jittered backoff. */
  backoff?: (attempt: number) => Promise<void>;
};

const STREAM_PAGE = 5000;

const jittered = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));

/**
 * Ids are derived from the command's idempotency key and the event's index, so the same
 * command decided twice (a retry after a timeout, a redelivery) appends the same ids, which
 * the store recognises; the deciders also return nothing for what they have already seen.
 */
export const stampEvents = (drafts: readonly EventDraft[], metadata: CommandMetadata): SalesEvent[] =>
  drafts.map((draft, index) => {
    const definition = eventDefinitions[draft.type];
    const subjectId = (definition.subjectOf as (d: unknown) => string | undefined)(draft.data);
    const eventMetadata: EventMetadata = {
      eventId: deterministicId('event', `${metadata.idempotencyKey}#${index}`),
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      occurredAt: metadata.now,
      actor: metadata.actor,
      ...(metadata.slackEventId ? { slackEventId: metadata.slackEventId } : {}),
      ...(subjectId ? { subjectId } : {}),
    };
    return makeEvent(draft.type, draft.data as never, eventMetadata) as SalesEvent;
  });

export type Folded<State> = {
  state: State;
  /** The revision of the last event read; null when there was none from `fromRevision` on. */
  last: bigint | null;
  /** How many events were read. */
  count: number;
};

/** Folds a stream from a revision on, page by page (a long stream can outgrow one page). */
export const foldStream = async <State>(
  store: EventStore,
  codec: EventCodec,
  streamId: string,
  evolve: (state: State, event: SalesEvent) => State,
  initial: State,
  fromRevision = 0n,
): Promise<Folded<State>> => {
  let state = initial;
  let last: bigint | null = null;
  let count = 0;
  for (;;) {
    const page = await store.readStream(streamId, {
      fromRevision: last === null ? fromRevision : last + 1n,
      maxCount: STREAM_PAGE,
    });
    for (const record of page) state = evolve(state, await codec.decode(record));
    count += page.length;
    if (page.length > 0) last = page.at(-1)!.revision;
    if (page.length < STREAM_PAGE) return { state, last, count };
  }
};

/**
 * Runs one read-decide-append attempt; when another writer appended between its read and its
 * append (or stored part of the same command's events from another state), runs it again (a
 * bounded number of times, with backoff).
 */
export const retryOnConflict = async <T>(options: HandlerOptions, attempt: () => Promise<T>): Promise<T> => {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? jittered;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const raced = isAppError(error, 'WRONG_EXPECTED_REVISION') || error instanceof PartialRepeatError;
      if (!raced || n >= maxAttempts) throw error;
      await backoff(n);
    }
  }
};

/**
 * Loads a stream, decides, appends at the revision it read; on a concurrent append it reloads
 * and decides again, a bounded number of times.
 */
export const handleCommand = <State>(
  store: EventStore,
  codec: EventCodec,
  streamId: string,
  decider: Decider<State>,
  decide: (state: State) => EventDraft[],
  metadata: CommandMetadata,
  options: HandlerOptions = {},
): Promise<HandleResult<State>> =>
  retryOnConflict(options, async () => {
    const folded = await foldStream(store, codec, streamId, decider.evolve, decider.initialState());
    let state = folded.state;
    const expected: ExpectedRevision = folded.last === null ? 'no_stream' : folded.last;
    const events = stampEvents(decide(state), metadata);
    if (events.length === 0) return { events, state, append: null };
    const append = await store.append(
      streamId,
      await Promise.all(events.map((e) => codec.encode(e))),
      expected,
    );
    for (const event of events) state = decider.evolve(state, event);
    return { events: append.duplicate ? [] : events, state, append };
  });
