import pg from 'pg';

/**
 * A session-level advisory lock on its own connection: held as long as the connection lives,
 * released by Postgres itself when the process dies. Keyed by schema and name, so separate
 * schemas (tests, tenants) never contend.
 */
export class AdvisoryLock {
  private client: pg.Client | null = null;
  private readonly config: pg.ClientConfig;
  private readonly key: string;
  lost = false;

  constructor(config: pg.ClientConfig, key: string) {
    this.config = config;
    this.key = key;
  }

  async tryAcquire(): Promise<boolean> {
    const client = new pg.Client(this.config);
    client.on('error', () => {
      this.lost = true;
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('salesai.lock'), hashtext(current_schema() || ':' || $1)) AS locked",
        [this.key],
      );
      if (!rows[0]?.locked) {
        await client.end();
        return false;
      }
      client.on('end', () => {
        this.lost = true;
      });
      this.client = client;
      this.lost = false;
      return true;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  /** True while the lock's connection is alive (checked with a round trip). */
  async stillHeld(): Promise<boolean> {
    if (!this.client || this.lost) return false;
    try {
      await this.client.query('SELECT 1');
      return true;
    } catch {
      this.lost = true;
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client
      .query("SELECT pg_advisory_unlock(hashtext('salesai.lock'), hashtext(current_schema() || ':' || $1))", [
        this.key,
      ])
      .catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Whether some process holds the lock now (takes and releases it when free). */
export const isLockHeld = async (config: pg.ClientConfig, key: string): Promise<boolean> => {
  const lock = new AdvisoryLock(config, key);
  if (await lock.tryAcquire()) {
    await lock.release();
    return false;
  }
  return true;
};
