import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../../schemas/logger.ts';

export type AccessLogOptions = {
  logger: Logger;
  /** Paths logged at debug level only: probes every few seconds would drown the log. */
  quietPaths?: readonly string[];
};

/** One JSON line per request with its request id, route, status and duration. */
export const accessLog = ({
  logger,
  quietPaths = ['/api/v1/health', '/metrics'],
}: AccessLogOptions): MiddlewareHandler =>
  async function logAccess(c, next) {
    const started = performance.now();
    await next();
    const entry = {
      requestId: c.get('requestId' as never) as string | undefined,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (quietPaths.includes(c.req.path) && c.res.status < 400) logger.debug(entry, 'request');
    else logger.info(entry, 'request');
  };
