import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMetadata, DialogueCommand } from '../schemas/commands.ts';
import type { Conversation } from '../schemas/events/index.ts';
import { createTestDatabase, type TestDatabase } from '../test/helpers/postgres.ts';
import { handleCommand } from './command-handler.ts';
import { decideWith, dialogueDecider } from './dialogue/decider.ts';
import { dialogueStreamId } from './dialogue/stream.ts';
import { plainCodec } from './event-store/codec.ts';
import type { EventStore } from './event-store/port.ts';
import { createPostgresEventStore } from './event-store/postgres/store.ts';

const conversation: Conversation = {
  id: 'T1:D42:dm',
  teamId: 'T1',
  channelId: 'D42',
  channelKind: 'im',
  threadTs: null,
};
const stream = dialogueStreamId(conversation.id);

const message = (n: number): DialogueCommand => ({
  type: 'ReceiveUserMessage',
  conversation,
  userId: 'U42',
  messageId: `17000000${n.toString().padStart(2, '0')}.000100`,
  text: `message ${n}`,
  sentAt: new Date(Date.UTC(2026, 0, 1, 9, 0, n)).toISOString(),
});

const meta = (key: string): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: key,
  causationId: null,
  now: '2026-01-01T09:00:00.000Z',
  actor: { kind: 'user', id: 'U42' },
  slackEventId: key,
});

describe('command handler against the Postgres store', () => {
  let db: TestDatabase;
  let store: EventStore;
  const context = (key: string) => ({ metadata: meta(key), inactivityMs: 30 * 60_000 });
  const send = (command: DialogueCommand, key: string) =>
    handleCommand(store, plainCodec, stream, dialogueDecider, decideWith(command, context(key)), meta(key), {
      maxAttempts: 50,
    });

  beforeAll(async () => {
    db = await createTestDatabase({ max: 20 });
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('appends each of many concurrent messages once, in one session, with gap-free sequence numbers', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => send(message(n), `Ev${n}`)));
    expect(results.every((r) => r.events.length > 0)).toBe(true);
    const events = await store.readStream(stream);
    const messages = events
      .filter((e) => e.type === 'MessageReceived')
      .map((e) => e.data as { seq: number; messageId: string });
    expect(messages).toHaveLength(12);
    expect(messages.map((m) => m.seq)).toEqual([...Array(12).keys()]);
    expect(events.filter((e) => e.type === 'SessionStarted')).toHaveLength(1);
  });

  it('records a redelivered Slack event once: sequential, concurrent and after a restart', async () => {
    const before = (await store.readStream(stream)).length;
    const again = await send(message(3), 'Ev3');
    expect(again.events).toEqual([]);
    await Promise.all([send(message(20), 'Ev20'), send(message(20), 'Ev20'), send(message(20), 'Ev20')]);
    // A new store instance stands for a restarted process.
    const restarted = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
    });
    const afterRestart = await handleCommand(
      restarted,
      plainCodec,
      stream,
      dialogueDecider,
      decideWith(message(20), context('Ev20')),
      meta('Ev20'),
    );
    expect(afterRestart.events).toEqual([]);
    await restarted.close();
    const after = await store.readStream(stream);
    expect(after.length).toBe(before + 1);
    expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
  });

  it('gives up after the bounded number of attempts when the stream keeps moving', async () => {
    let calls = 0;
    const busyStore: EventStore = {
      ...store,
      append: async (...args) => {
        calls++;
        await store.append(stream, [
          { id: crypto.randomUUID(), type: 'Noise', version: 1, data: {}, metadata: {} },
        ]);
        return store.append(...args);
      },
    };
    await expect(
      handleCommand(busyStore, plainCodec, stream, dialogueDecider, () => [], meta('noop')),
    ).resolves.toMatchObject({ append: null });
    const attempt = handleCommand(
      {
        ...busyStore,
        readStream: (id) => store.readStream(id).then((es) => es.filter((e) => e.type !== 'Noise')),
      },
      plainCodec,
      stream,
      dialogueDecider,
      decideWith(message(30), context('Ev30')),
      meta('Ev30'),
      { maxAttempts: 3, backoff: async () => {} },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
    expect(calls).toBe(3);
  });
});
