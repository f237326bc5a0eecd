import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../ops/runtime/migrate.ts';
import { clientConfig, createPool } from '../../ops/runtime/postgres.ts';
import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { handleCommand } from '../../write/command-handler.ts';
import { decideWith, dialogueDecider } from '../../write/dialogue/decider.ts';
import { dialogueStreamId } from '../../write/dialogue/stream.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
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
    const acknowledged: string[] = [];
    let attempted = 0;
    let failed = 0;
    let running = true;
    const writer = async (w: number) => {
      const conversation = {
        id: `T1:D${w}:dm`,
        teamId: 'T1',
        channelId: `D${w}`,
        channelKind: 'im' as const,
        threadTs: null,
      };
      for (let i = 0; running; i++) {
        const messageId = `${1_800_000_000 + i}.${String(w).padStart(6, '0')}`;
        const command: DialogueCommand = {
          type: 'ReceiveUserMessage',
          conversation,
          userId: `U${String(w).padStart(6, '0')}`,
          messageId,
          text: `価格について相談 ${i}`,
          sentAt: new Date(Date.UTC(2026, 5, 1, 9, 0, i)).toISOString(),
        };
        const metadata: CommandMetadata = {
          idempotencyKey: `Ev-${w}-${i}`,
          correlationId: `Ev-${w}-${i}`,
          causationId: null,
          now: command.sentAt,
          actor: { kind: 'user', id: command.userId },
        };
        attempted++;
        // A client retries what was not acknowledged, as Slack does.
        for (let attempt = 0; running || attempt === 0; attempt++) {
          try {
            await handleCommand(
              store,
              plainCodec,
              dialogueStreamId(conversation.id),
              dialogueDecider,
              decideWith(command, { metadata, inactivityMs: 30 * 60_000 }),
              metadata,
            );
            acknowledged.push(messageId);
            break;
          } catch {
            failed++;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 1500));
    const beforeRestart = acknowledged.length;
    await postgres.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await postgres.start();
    await new Promise((r) => setTimeout(r, 2500));
    running = false;
    await Promise.all(writers);

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
