import type { SalesEvent } from '../../schemas/events/index.ts';
import { eventDefinitions, toDomainEvent } from '../../schemas/events/index.ts';
import type { EventToAppend, RecordedEvent } from './port.ts';

/**
 * Between domain events and stored records. Reading upcasts any stored version to the current
 * one. This is the one place where free-text fields can be sealed and opened per person.
 */
export type EventCodec = {
  encode(event: SalesEvent): Promise<EventToAppend>;
  decode(record: RecordedEvent): Promise<SalesEvent>;
  /** For replaying many events: current-version events are not validated again (see toDomainEvent). */
  decodeTrusted(record: RecordedEvent): Promise<SalesEvent>;
};

export const plainCodec: EventCodec = {
  async encode(event) {
    return {
      id: event.metadata.eventId,
      type: event.type,
      version: eventDefinitions[event.type].version,
      data: event.data,
      metadata: event.metadata,
    };
  },
  async decode(record) {
    return toDomainEvent(record);
  },
  async decodeTrusted(record) {
    return toDomainEvent(record, { trusted: true });
  },
};
