import type { RecordedEvent } from '../port.ts';

export type StoredMatch =
  | { readonly kind: 'none' }
  /** Every id is stored; `last` is the stored event with the highest revision among them. */
  | { readonly kind: 'all'; readonly last: RecordedEvent }
  | { readonly kind: 'some' };

/** Which of the ids to append are among events already read from the stream. */
export const matchStored = (stored: readonly RecordedEvent[], ids: readonly string[]): StoredMatch => {
  const wanted = new Set(ids);
  let found = 0;
  let last: RecordedEvent | undefined;
  for (const event of stored) {
    if (!wanted.has(event.id)) continue;
    wanted.delete(event.id);
    found++;
    if (!last || event.revision > last.revision) last = event;
  }
  if (found === 0 || !last) return { kind: 'none' };
  return found === new Set(ids).size ? { kind: 'all', last } : { kind: 'some' };
};
