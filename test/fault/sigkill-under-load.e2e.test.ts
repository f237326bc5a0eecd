import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogueProjection } from '../../projections/dialogue/projection.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { handleCommand } from '../../write/command-handler.ts';
import { decideWith, dialogueDecider } from '../../write/dialogue/decider.ts';
import { dialogueStreamId } from '../../write/dialogue/stream.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { storeTail } from '../helpers/store-tail.ts';
import { dumpProjection } from '../helpers/tables.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The whole process (HTTP, projections, the coaching agent) SIGKILLed while users write, then
 * restarted: the read tables equal a clean rebuild from the events, and every user message has
 * exactly one reply.
 */
describe('the process SIGKILLed under load and restarted', () => {
  let db: TestDatabase;
  let store: EventStore;
  let app: RunningProcess | null = null;
  const env = () => ({
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    DATABASE_POOL_SIZE: '6',
    DATABASE_MAX_OVERFLOW: '0',
  });

  beforeAll(async () => {
    db = await createTestDatabase({ max: 10 });
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  });
  afterAll(async () => {
    await app?.stop();
    await store.close();
    await db.drop();
  });

  it('comes back to the state the events say', async () => {
    app = await startServe(env());
    const acknowledged: string[] = [];
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
          text: i % 2 ? '他社の方が安いと言われました' : '決裁者に会うには？',
          sentAt: new Date(Date.UTC(2026, 5, 1, 9, 0, i)).toISOString(),
        };
        const metadata: CommandMetadata = {
          idempotencyKey: `Ev-${w}-${i}`,
          correlationId: `Ev-${w}-${i}`,
          causationId: null,
          now: command.sentAt,
          actor: { kind: 'user', id: command.userId },
        };
        await handleCommand(
          store,
          plainCodec,
          dialogueStreamId(conversation.id),
          dialogueDecider,
          decideWith(command, { metadata, inactivityMs: 30 * 60_000 }),
          metadata,
        );
        acknowledged.push(messageId);
        await new Promise((r) => setTimeout(r, 80));
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    for (let kill = 0; kill < 3; kill++) {
      // Kill while messages are being written and answered.
      await new Promise((r) => setTimeout(r, 1500));
      const code = await app.stop('SIGKILL');
      expect(code).toBeNull();
      app = await startServe(env());
    }
    running = false;
    await Promise.all(writers);

    // Every user message gets exactly one reply from the restarted agent.
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ users: string; replies: string }>(
          `SELECT count(*) FILTER (WHERE type = 'MessageReceived' AND data->>'role' = 'user') AS users,
                  count(*) FILTER (WHERE type = 'MessageReceived' AND data->>'role' = 'assistant') AS replies
             FROM es_events`,
        );
        return rows[0]!.users === rows[0]!.replies;
      },
      90_000,
      250,
    );
    const duplicates = await db.pool.query(
      `SELECT data->>'replyTo' AS reply_to, count(*) FROM es_events
        WHERE type = 'MessageReceived' AND data->>'role' = 'assistant' GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(duplicates.rowCount).toBe(0);

    const tail = await storeTail(db.pool);
    await waitFor(async () => {
      const live = await findGeneration(db.pool, 'dialogue', 'live');
      return live !== null && comparePositions(live.position, tail) >= 0;
    }, 60_000);
    const users = await db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM dialogue_messages WHERE role = 'user'",
    );
    expect(Number(users.rows[0]!.n)).toBe(acknowledged.length);
    const afterCrashes = await dumpProjection(db.pool, dialogueProjection);
    const before = (await findGeneration(db.pool, 'dialogue', 'live'))!.generation;
    await requestRebuild(db.pool, 'dialogue', 'test');
    await waitFor(
      async () => ((await findGeneration(db.pool, 'dialogue', 'live'))?.generation ?? 0) > before,
      60_000,
    );
    expect(await dumpProjection(db.pool, dialogueProjection)).toEqual(afterCrashes);
    console.log(
      `sigkill under load: 3 kills, acknowledged ${acknowledged.length} messages, lost 0, duplicate replies 0`,
    );
  }, 240_000);
});
