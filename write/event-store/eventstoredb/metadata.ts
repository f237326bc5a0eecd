import { AppError } from '../../../schemas/errors.ts';

/**
 * EventStoreDB has no column for an event's schema version, so it travels inside the event's
 * metadata under a reserved key and is taken out again on read: the metadata a reader sees is
 * exactly what was appended.
 */
export const schemaVersionKey = '$schemaVersion';

export const packMetadata = (version: number, metadata: Record<string, unknown>): Record<string, unknown> => {
  if (Object.hasOwn(metadata, schemaVersionKey)) {
    throw new AppError('VALIDATION', `event metadata must not use the reserved key ${schemaVersionKey}`);
  }
  return { ...metadata, [schemaVersionKey]: version };
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/**
 * Events written by other tools may carry no metadata, binary metadata or no version: they
 * read as version 1 with whatever object metadata they have.
 */
export const unpackMetadata = (raw: unknown): { version: number; metadata: Record<string, unknown> } => {
  if (!isPlainObject(raw)) return { version: 1, metadata: {} };
  const { [schemaVersionKey]: version, ...metadata } = raw;
  return {
    version: Number.isSafeInteger(version) && (version as number) > 0 ? (version as number) : 1,
    metadata,
  };
};
