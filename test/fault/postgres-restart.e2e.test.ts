import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../ops/runtime/migrate.ts';
import { clientConfig, createPool } from '../../ops/runtime/postgres.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { startMessageWriters } from '../helpers/message-writers.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { startRestartablePostgres } from '../helpers/restartable-postgres.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * PostgreSQL restarted while messages are being written and the whole system runs: every
 * message whose command was acknowledged is in the store afterwards, and the service (HTTP,
 * projections, agent) resumes by itself.
 */
describe('PostgreSQL restarted under load', () => {
  let postgres: Awaited<ReturnType<typeof startRestartablePostgres>>;
  let app: RunningProcess;

  beforeAll(async () => {
    postgres = await startRestartablePostgres();
    await migrate(postgres.url, 'public');
    app = await startServe({ DATABASE_URL: postgres.url });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await postgres?.destroy();
  });

  it('loses no acknowledged message and recovers', async () => {
    const pool = createPool({ url: postgres.url, schema: 'public', max: 10 });
    const store = createPostgresEventStore({
      pool,
      schema: 'public',
      listenConfig: clientConfig({ url: postgres.url, schema: 'public' }),
    });
    const writers = startMessageWriters(store, {
      writers: 6,
      text: (i) => `価格について相談 ${i}`,
      retry: true,
    });
    const { acknowledged } = writers;
    await new Promise((r) => setTimeout(r, 1500));
    const beforeRestart = acknowledged.length;
    await postgres.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await postgres.start();
    await new Promise((r) => setTimeout(r, 2500));
    await writers.stop();
    const { attempted, failed } = writers.stats();

    const stored = await pool.query<{ id: string }>(
      "SELECT data->>'messageId' AS id FROM es_events WHERE type = 'MessageReceived' AND data->>'role' = 'user'",
    );
    const ids = new Set(stored.rows.map((r) => r.id));
    const lost = acknowledged.filter((id) => !ids.has(id));
    console.log(
      `postgres restart: attempted ${attempted}, acknowledged ${acknowledged.length} (${beforeRestart} before the restart), failed attempts ${failed}, lost ${lost.length}`,
    );
    expect(beforeRestart).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(beforeRestart);
    expect(lost).toEqual([]);
    expect(ids.size).toBe(acknowledged.length);

    // The running system recovers by itself: health is ok and the read models catch up.
    if (app.child.exitCode !== null) console.log(app.output().slice(-3000));
    await waitFor(
      async () => (await fetch(`${app.baseUrl}/api/v1/health/detailed`)).status === 200,
      30_000,
      250,
    );
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ n: string }>(
          "SELECT count(*) AS n FROM dialogue_messages WHERE role = 'user'",
        );
        return Number(rows[0]!.n) === acknowledged.length;
      },
      60_000,
      250,
    );
    expect(app.child.exitCode).toBeNull();
    await store.close();
    await pool.end();
  }, 180_000);
});
