import { AppError } from '../../schemas/errors.ts';

/**
 * A data key that this process cannot unwrap: the ring key that wraps it is not in its key ring
 * (a restore onto a machine without the source's SECRET_KEY, an ENCRYPTION_KEYS entry removed too
 * early) or holds other key material under the same id. Configuration, not a forgotten person and
 * not a bug: the read API answers 503 KEY_UNAVAILABLE and health reports it.
 */
export class KeyUnavailableError extends AppError {
  readonly ringKeyId: string | null;

  constructor(ringKeyId: string | null, reason: 'missing' | 'mismatch', options?: ErrorOptions) {
    super(
      'KEY_UNAVAILABLE',
      reason === 'missing'
        ? `this record's data key is wrapped by ring key ${ringKeyId}, which this server's key ring (SECRET_KEY, ENCRYPTION_KEYS) does not hold`
        : `ring key ${ringKeyId} of this server's key ring does not open this record's data key (the same id holds another key)`,
      { ringKeyId },
      options,
    );
    this.ringKeyId = ringKeyId;
  }
}
