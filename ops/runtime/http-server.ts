import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export type HttpServer = { url: string; port: number; close: () => Promise<void> };

export type HttpServerOptions = {
  host: string;
  port: number;
  keepAliveSeconds: number;
  maxConnections: number;
  /** How long in-flight requests may take to finish on shutdown. */
  drainMs?: number;
};

/** Listens; `close` stops accepting, lets in-flight requests finish, then drops idle sockets. */
export const listen = (app: Hono, options: HttpServerOptions): Promise<HttpServer> =>
  new Promise((resolve, reject) => {
    const server = createAdaptorServer({
      fetch: app.fetch,
      hostname: options.host,
      port: options.port,
    }) as ServerType & {
      keepAliveTimeout: number;
      maxConnections: number;
      closeIdleConnections?: () => void;
      closeAllConnections?: () => void;
    };
    server.keepAliveTimeout = options.keepAliveSeconds * 1000;
    server.maxConnections = options.maxConnections;
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      const displayHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
      resolve({
        url: `http://${displayHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections?.(), options.drainMs ?? 10_000);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections?.();
          }),
      });
    });
  });
