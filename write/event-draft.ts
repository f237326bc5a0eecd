import type { EventData, EventType } from '../schemas/events/index.ts';

/** What a decider returns: type and data. The command handler adds ids, clock and actor. */
export type EventDraft = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];
