import pg from 'pg';

type Logger = { warn(obj: object, msg: string): void };

/**
 * One LISTEN connection per store, shared by its subscriptions. Appends notify on commit;
 * a subscription waits for a notification or its poll interval, whichever comes first, so
 * nothing spins while idle and a lost connection only costs latency, never events.
 */
export class Notifier {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private retryDelay = 100;
  private readonly config: pg.ClientConfig;
  private readonly schema: string;
  private readonly logger: Logger | undefined;

  constructor(config: pg.ClientConfig, schema: string, logger?: Logger) {
    this.config = config;
    this.schema = schema;
    this.logger = logger;
  }

  /** Resolves on the next notification for this schema (`true`), after `timeoutMs` or on abort (`false`). */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    this.ensureConnected();
    return new Promise((resolve) => {
      const finish = (notified: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(onNotify);
        signal?.removeEventListener('abort', onAbort);
        resolve(notified);
      };
      const onNotify = () => finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(onNotify);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Wakes this process' subscriptions without a round trip (after an append made here). */
  wakeLocal(): void {
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private ensureConnected(): void {
    if (this.client || this.connecting || this.closed) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = undefined;
    });
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      if (message.payload === this.schema) this.wake();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query('LISTEN salesai_events');
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.retryDelay = 100;
      // Events may have committed while we were not listening.
      this.wake();
    } catch (error) {
      await client.end().catch(() => {});
      this.lost(undefined, error);
    }
  }

  private lost(client: pg.Client | undefined, error?: unknown): void {
    if (client && this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    if (error) this.logger?.warn({ err: error }, 'event notifications lost; reconnecting');
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 5000);
    setTimeout(() => {
      if (this.waiters.size > 0) this.ensureConnected();
    }, delay).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    const client = this.client;
    this.client = undefined;
    await this.connecting?.catch(() => {});
    await client?.end().catch(() => {});
  }
}
