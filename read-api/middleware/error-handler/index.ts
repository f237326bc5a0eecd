import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { ErrorBody } from '../../../schemas/api/errors.ts';
import { AppError } from '../../../schemas/errors.ts';
import type { Logger } from '../../../schemas/logger.ts';

export type ErrorHandlerOptions = { logger: Logger };

const body = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: { code, message, ...(details ? { details } : {}) },
});

const httpCodes: Record<number, string> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/** One place maps error codes to HTTP statuses; unknown errors are 500 with no internals shown. */
export const errorHandler = ({ logger }: ErrorHandlerOptions) =>
  function handleError(error: Error, c: Context) {
    if (error instanceof AppError) {
      if (error.code === 'RATE_LIMITED' && error.details?.retryAfterSeconds !== undefined) {
        c.header('Retry-After', String(error.details.retryAfterSeconds));
      }
      if (error.status >= 500) logger.error({ err: error }, error.message);
      return c.json(body(error.code, error.message, error.details), error.status as ContentfulStatusCode);
    }
    if (error instanceof ZodError) {
      const first = error.issues[0];
      const where = first?.path.length ? `${first.path.join('.')}: ` : '';
      return c.json(body('VALIDATION', `${where}${first?.message ?? 'invalid input'}`), 400);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json(
        body(httpCodes[status] ?? 'BAD_REQUEST', error.message || 'bad request'),
        status as ContentfulStatusCode,
      );
    }
    logger.error({ err: error, requestId: c.get('requestId' as never) }, 'unhandled error');
    return c.json(body('INTERNAL', 'internal error'), 500);
  };

export const notFoundHandler = (c: Context) =>
  c.json(body('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`), 404);
