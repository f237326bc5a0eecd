/**
 * Every failure the product reports carries a code; one middleware (read-api) and one
 * place in the CLI map codes to HTTP statuses and exit codes.
 */
export const errorCodes = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  WRONG_EXPECTED_REVISION: 409,
  SESSION_ENDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  /** A record's data key is wrapped by a ring key this process does not hold (configuration, not a bug). */
  KEY_UNAVAILABLE: 503,
  CONFIGURATION: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export const isAppError = (error: unknown, code?: ErrorCode): error is AppError =>
  error instanceof AppError && (code === undefined || error.code === code);

export class WrongExpectedRevisionError extends AppError {
  readonly streamId: string;
  readonly expected: string;
  readonly actual: bigint;

  constructor(streamId: string, expected: string, actual: bigint) {
    super(
      'WRONG_EXPECTED_REVISION',
      `stream ${streamId}: expected revision ${expected}, actual ${actual === -1n ? 'no stream' : actual}`,
    );
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * An append whose events are partly stored already (by another append with some of the same
 * ids): another writer ran the same command at the same time, from a different state. Deciding
 * again on what is stored now settles it.
 */
export class PartialRepeatError extends AppError {
  readonly streamId: string;

  constructor(streamId: string) {
    super('CONFLICT', `stream ${streamId}: some of these event ids were stored by another append`);
    this.streamId = streamId;
  }
}
