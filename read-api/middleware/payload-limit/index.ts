import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../../schemas/errors.ts';

export type PayloadLimitOptions = {
  /** Largest request body accepted; 1 MB by default. */
  maxBytes?: number;
};

/** hono's body-limit (declared or streamed size), answering 413 PAYLOAD_TOO_LARGE in the API's error shape. */
export const payloadLimit = ({ maxBytes = 1024 * 1024 }: PayloadLimitOptions = {}): MiddlewareHandler => {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${maxBytes} bytes`);
    },
  });
  return async function limitPayload(c, next) {
    return limit(c, next);
  };
};
