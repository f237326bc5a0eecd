import { AccessDeniedError } from '@eventstore/db-client';

/**
 * gRPC statuses that the same request meets again however often it is retried: a position
 * the server calls invalid, access denied or unauthenticated, an operation it does not offer.
 */
const permanentCodes = new Set([
  3, // INVALID_ARGUMENT
  7, // PERMISSION_DENIED
  11, // OUT_OF_RANGE
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

/** True for a subscription failure that resubscribing cannot cure. */
export const isPermanentFailure = (error: unknown): boolean =>
  error instanceof AccessDeniedError ||
  (typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number' &&
    permanentCodes.has((error as { code: number }).code));
