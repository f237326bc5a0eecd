import type { CommandMetadata } from '../schemas/commands.ts';
import { isAppError } from '../schemas/errors.ts';
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

/**
 * Loads a stream, decides, appends at the revision it read; on a concurrent append it reloads
 * and decides again, a bounded number of times.
 */
export const handleCommand = async <State>(
  store: EventStore,
  codec: EventCodec,
  streamId: string,
  decider: Decider<State>,
  decide: (state: State) => EventDraft[],
  metadata: CommandMetadata,
  options: HandlerOptions = {},
): Promise<HandleResult<State>> => {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? jittered;
  for (let attempt = 1; ; attempt++) {
    // The whole stream, page by page (a long DM conversation can outgrow one page).
    let state = decider.initialState();
    let last: bigint | null = null;
    for (;;) {
      const page = await store.readStream(streamId, {
        fromRevision: last === null ? 0n : last + 1n,
        maxCount: STREAM_PAGE,
      });
      for (const record of page) state = decider.evolve(state, await codec.decode(record));
      if (page.length > 0) last = page.at(-1)!.revision;
      if (page.length < STREAM_PAGE) break;
    }
    const expected: ExpectedRevision = last === null ? 'no_stream' : last;

    const events = stampEvents(decide(state), metadata);
    if (events.length === 0) return { events, state, append: null };
    try {
      const append = await store.append(
        streamId,
        await Promise.all(events.map((e) => codec.encode(e))),
        expected,
      );
      for (const event of events) state = decider.evolve(state, event);
      return { events: append.duplicate ? [] : events, state, append };
    } catch (error) {
      if (!isAppError(error, 'WRONG_EXPECTED_REVISION') || attempt >= maxAttempts) throw error;
      await backoff(attempt);
    }
  }
};
