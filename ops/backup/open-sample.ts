import { eventDefinitions } from '../../schemas/events/index.ts';
import { FORGOTTEN, isSealed, UNREADABLE } from '../../write/crypto/sealed-text.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { RecordedEvent } from '../../write/event-store/port.ts';

/** Sealed personal values of a stored event, by field (array elements as `field.i`). */
const sealedFields = (record: RecordedEvent): string[] => {
  const definition = eventDefinitions[record.type as keyof typeof eventDefinitions];
  if (!definition || definition.personalFields.length === 0) return [];
  const data = record.data as Record<string, unknown>;
  const out: string[] = [];
  for (const field of definition.personalFields) {
    const value = data[field];
    if (isSealed(value)) out.push(field);
    else if (Array.isArray(value))
      for (const [i, v] of value.entries()) if (isSealed(v)) out.push(`${field}.${i}`);
  }
  return out;
};

/** Keeps a uniform random sample of the events holding sealed text, as they stream past. */
export const sealedEventSample = (size: number) => {
  const sample: RecordedEvent[] = [];
  let seen = 0;
  return {
    offer(record: RecordedEvent) {
      if (sealedFields(record).length === 0) return;
      seen++;
      if (sample.length < size) sample.push(record);
      else {
        const j = Math.floor(Math.random() * seen);
        if (j < size) sample[j] = record;
      }
    },
    get records() {
      return sample;
    },
  };
};

export type OpenedSample = { texts: number; opened: number; forgotten: number; failures: string[] };

/**
 * Decodes each sampled event with the codec the service will use and looks at every sealed
 * value in it: opened to text, or `[forgotten]` (a destroyed key). `[unreadable]`, a value still
 * sealed or an error (a key that cannot be unwrapped) is a failure.
 */
export const openSample = async (
  codec: EventCodec,
  records: readonly RecordedEvent[],
): Promise<OpenedSample> => {
  const result: OpenedSample = { texts: 0, opened: 0, forgotten: 0, failures: [] };
  for (const record of records) {
    const fields = sealedFields(record);
    result.texts += fields.length;
    let data: Record<string, unknown>;
    try {
      data = (await codec.decode(record)).data as Record<string, unknown>;
    } catch (error) {
      result.failures.push(`event ${record.id}: ${(error as Error).message}`);
      continue;
    }
    for (const field of fields) {
      const [name, index] = field.split('.') as [string, string | undefined];
      const raw = data[name];
      const value = index === undefined ? raw : (raw as unknown[])[Number(index)];
      if (value === FORGOTTEN) result.forgotten++;
      else if (typeof value === 'string' && value !== UNREADABLE && !isSealed(value)) result.opened++;
      else
        result.failures.push(
          `event ${record.id} ${field}: ${value === UNREADABLE ? 'unreadable' : 'still sealed'}`,
        );
    }
  }
  return result;
};
