import { AppError } from '../schemas/errors.ts';

/**
 * Keyset pagination cursors: the sort key of the last row of a page, opaque to clients
 * (base64url JSON). A cursor that does not decode is a 400, not an empty page.
 */
export type Cursor = { at: string; id: string };

export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');

export const decodeCursor = (raw: string | undefined): Cursor | null => {
  if (raw === undefined || raw === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      if (!Number.isNaN(Date.parse(value[0]))) return { at: value[0], id: value[1] };
    }
  } catch {}
  throw new AppError('VALIDATION', 'cursor: not a cursor returned by this API');
};
