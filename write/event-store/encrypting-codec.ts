import type { SalesEvent } from '../../schemas/events/index.ts';
import { eventDefinitions, toDomainEvent } from '../../schemas/events/index.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import { openSealedString } from '../crypto/personal-text.ts';
import { contextOf, isSealed, parseSealed, sealText, UNREADABLE } from '../crypto/sealed-text.ts';
import type { EventCodec } from './codec.ts';
import type { RecordedEvent } from './port.ts';

type Data = Record<string, unknown>;

const personalFieldsOf = (type: SalesEvent['type']): readonly string[] =>
  eventDefinitions[type].personalFields;

const subjectOf = (event: SalesEvent): string | undefined =>
  event.metadata.subjectId ??
  (eventDefinitions[event.type].subjectOf as (data: unknown) => string | undefined)(event.data);

/** Field label inside the context digest: array elements carry their index, so they cannot be reordered. */
const label = (field: string, index?: number) => (index === undefined ? field : `${field}.${index}`);

/** Applies `transform` to every string of the event's personal fields; a copy of data when anything changed. */
const mapPersonal = async (
  event: SalesEvent,
  transform: (value: string, field: string) => Promise<string>,
): Promise<SalesEvent> => {
  const fields = personalFieldsOf(event.type);
  if (fields.length === 0) return event;
  const data = { ...(event.data as Data) };
  for (const field of fields) {
    const value = data[field];
    if (typeof value === 'string') data[field] = await transform(value, label(field));
    else if (Array.isArray(value))
      data[field] = await Promise.all(
        value.map((v, i) => (typeof v === 'string' ? transform(v, label(field, i)) : v)),
      );
  }
  return { ...event, data } as SalesEvent;
};

/**
 * The codec with encryption at rest. `encode` seals every personal field with the subject's data
 * key (events without a subject or without personal fields are stored as they are).
 * - `decode` opens them: the command side, the agent and history need the text. A forgotten
 *   subject's text reads as `[forgotten]`; a sealed value moved from another event or field, or
 *   changed, reads as `[unreadable]`.
 * - `decodeTrusted` (projections) leaves them sealed, so read tables and caches hold ciphertext
 *   too; the serving side opens them with `personalText`. Values whose context does not match
 *   their event are replaced by `[unreadable]` here already, so a moved ciphertext never reaches
 *   a read table.
 * Records written before encryption (plain strings) decode as they are.
 */
export const encryptingCodec = (keys: DataKeys): EventCodec => ({
  async encode(event) {
    const subject = subjectOf(event);
    let stored: SalesEvent = event;
    if (subject !== undefined && personalFieldsOf(event.type).length > 0) {
      const { keyRef, key } = await keys.forWriting(subject);
      const eventId = event.metadata.eventId;
      stored = await mapPersonal(event, async (value, field) =>
        sealText(key, keyRef, contextOf(eventId, field), value),
      );
    }
    return {
      id: event.metadata.eventId,
      type: event.type,
      version: eventDefinitions[event.type].version,
      data: stored.data,
      metadata: event.metadata,
    };
  },
  async decode(record) {
    const event = toDomainEvent(record);
    return mapPersonal(event, (value, field) =>
      isSealed(value) ? openSealedString(keys, value, contextOf(record.id, field)) : Promise.resolve(value),
    );
  },
  async decodeTrusted(record: RecordedEvent) {
    const event = toDomainEvent(record, { trusted: true });
    return mapPersonal(event, async (value, field) => {
      if (!isSealed(value)) return value;
      const parts = parseSealed(value);
      return parts && parts.context !== contextOf(record.id, field) ? UNREADABLE : value;
    });
  },
});
