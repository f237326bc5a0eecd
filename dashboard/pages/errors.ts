import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { errorView } from '../views/error.ts';

/** Dashboard errors are pages (in the reader's language), not the API's JSON bodies. */
export const dashboardErrorHandler = (rt: DashboardRuntime) =>
  function handleDashboardError(error: Error, c: Context) {
    const ctx = rt.page(c);
    const { t } = ctx;
    let status: ContentfulStatusCode = 500;
    let message = t.internalError;
    if (error instanceof AppError) {
      status = error.status as ContentfulStatusCode;
      message =
        error.code === 'NOT_FOUND'
          ? t.notFound
          : error.code === 'FORBIDDEN'
            ? error.details?.scope === 'ops'
              ? t.forbiddenOps
              : error.details?.scope === 'reviewer'
                ? t.forbiddenReviewer
                : t.forbidden
            : error.code === 'VALIDATION'
              ? t.badRequest
              : error.code === 'UNAVAILABLE'
                ? t.unavailable
                : error.code === 'KEY_UNAVAILABLE'
                  ? t.keyUnavailable
                  : error.status < 500
                    ? error.message
                    : t.internalError;
      if (error.status >= 500) rt.deps.logger.error({ err: error }, error.message);
    } else if (error instanceof ZodError) {
      status = 400;
      message = t.badRequest;
    } else if (error instanceof HTTPException) {
      status = error.status as ContentfulStatusCode;
      message = status === 404 ? t.notFound : status === 403 ? t.forbidden : t.badRequest;
    } else {
      rt.deps.logger.error({ err: error }, 'dashboard: unhandled error');
    }
    c.header('Cache-Control', 'no-store');
    if ((c.req.header('Accept') ?? '').includes('application/json')) {
      return c.json(
        { error: { code: error instanceof AppError ? error.code : 'INTERNAL', message } },
        status,
      );
    }
    return c.html(errorView(ctx, message), status);
  };
