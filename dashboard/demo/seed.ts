import { isAppError } from '../../schemas/errors.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { addDays, localDate } from '../time.ts';
import { demoAnchorStreamId, demoEndFromAnchor, demoTimeZone, demoWeeks, generateDemo } from './generate.ts';
import { demoReps } from './reps.ts';

export type SeedDemoDeps = { store: EventStore; codec: EventCodec; now?: () => Date };

export type SeedDemoSummary = {
  /** The demo's period, `YYYY-MM-DD` (Tokyo), end exclusive. */
  from: string;
  to: string;
  reps: number;
  sessions: number;
  /** What this run wrote. */
  appendedStreams: number;
  appendedEvents: number;
  /** Streams a previous run had written already. */
  presentStreams: number;
};

/**
 * The day the demo is for: the one an earlier run chose (read back from the first rep's first
 * session, so a run on a later day regenerates the very same events), else today.
 */
const demoEnd = async ({ store, codec, now }: SeedDemoDeps): Promise<string> => {
  const [first] = await store.readStream(demoAnchorStreamId(), { maxCount: 1 });
  if (first) {
    const event = await codec.decode(first);
    if (event.type === 'SessionStarted') return demoEndFromAnchor(event.data.startedAt);
  }
  return localDate((now ?? (() => new Date()))(), demoTimeZone);
};

/**
 * Writes the demo's dialogue streams through the event store, as the command handler would:
 * events decided by the dialogue decider, each stream appended whole (one append, so it is
 * there entirely or not at all) expecting it not to exist. A stream that exists is left alone,
 * so a second run adds nothing; two runs racing append each stream once.
 */
export const seedDemo = async (
  deps: SeedDemoDeps,
  titles: ReadonlyMap<string, string>,
): Promise<SeedDemoSummary> => {
  const end = await demoEnd(deps);
  const streams = generateDemo({ end, titles });
  let appendedStreams = 0;
  let appendedEvents = 0;
  let presentStreams = 0;
  for (const stream of streams) {
    const existing = await deps.store.readStream(stream.streamId, { maxCount: 1 });
    if (existing.length > 0) {
      presentStreams++;
      continue;
    }
    try {
      const encoded = await Promise.all(stream.events.map((e) => deps.codec.encode(e)));
      const result = await deps.store.append(stream.streamId, encoded, 'no_stream');
      if (result.duplicate) {
        presentStreams++;
        continue;
      }
      appendedStreams++;
      appendedEvents += stream.events.length;
    } catch (error) {
      if (!isAppError(error, 'WRONG_EXPECTED_REVISION')) throw error;
      presentStreams++;
    }
  }
  const sessions = streams.reduce(
    (n, s) => n + s.events.filter((e) => e.type === 'SessionStarted').length,
    0,
  );
  return {
    from: addDays(end, -demoWeeks * 7),
    to: end,
    reps: demoReps.length,
    sessions,
    appendedStreams,
    appendedEvents,
    presentStreams,
  };
};
