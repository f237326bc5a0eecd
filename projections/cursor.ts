import { z } from 'zod';
import { AppError } from '../schemas/errors.ts';

/**
 * Keyset pagination cursors: the sort key of the last row of a page, opaque to clients
 * (base64url JSON). A cursor this API did not make is a 400 naming the parameter, never an
 * empty page nor a database error: its instant and id are checked as the queries will cast them.
 */
export type Cursor = { at: string; id: string };

const CursorValue = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');

export const decodeCursor = (raw: string | undefined): Cursor | null => {
  if (raw === undefined || raw === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {}
  const parsed = CursorValue.safeParse(value);
  // Date.parse accepts more than Postgres' timestamptz does in range (year 275760): keep to 4 digits.
  if (parsed.success && /^\d{4}-/.test(parsed.data[0])) return { at: parsed.data[0], id: parsed.data[1] };
  throw new AppError('VALIDATION', 'cursor: not a cursor returned by this API', { parameter: 'cursor' });
};
