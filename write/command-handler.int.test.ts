import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMetadata, DialogueCommand } from '../schemas/commands.ts';
import type { Conversation } from '../schemas/events/index.ts';
import { createTestDatabase, type TestDatabase } from '../test/helpers/postgres.ts';
import { handleCommand } from './command-handler.ts';
import { decideWith, dialogueDecider } from './dialogue/decider.ts';
import { dialogueStreamId } from './dialogue/stream.ts';
import type { EventDraft } from './event-draft.ts';
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

  it('reads a conversation longer than one page in full before deciding', async () => {
    const long: Conversation = {
      id: 'T1:D77:dm',
      teamId: 'T1',
      channelId: 'D77',
      channelKind: 'im',
      threadTs: null,
    };
    const stream77 = dialogueStreamId(long.id);
    const messages = Array.from(
      { length: 5200 },
      (_, n): DialogueCommand => ({
        type: 'ReceiveUserMessage',
        conversation: long,
        userId: 'U77',
        messageId: `1700${String(n).padStart(6, '0')}.000100`,
        text: `m${n}`,
        sentAt: new Date(Date.UTC(2026, 0, 1, 9, 0, 0) + n * 1000).toISOString(),
      }),
    );
    // Recorded in bulk (one append of many events), then one more through the handler.
    const { stampEvents } = await import('./command-handler.ts');
    const { decideDialogue } = await import('./dialogue/decide.ts');
    const { evolveDialogue, initialDialogueState } = await import('./dialogue/state.ts');
    let state = initialDialogueState();
    const events = [];
    for (const [n, command] of messages.entries()) {
      const drafts = decideDialogue(command, state, {
        metadata: meta(`bulk-${n}`),
        inactivityMs: 30 * 60_000,
      });
      for (const e of stampEvents(drafts, meta(`bulk-${n}`))) {
        state = evolveDialogue(state, e);
        events.push(e);
      }
    }
    for (let i = 0; i < events.length; i += 1000) {
      await store.append(
        stream77,
        await Promise.all(events.slice(i, i + 1000).map((e) => plainCodec.encode(e))),
      );
    }
    const next: DialogueCommand = {
      ...messages[0]!,
      messageId: '1799999999.000100',
      sentAt: '2026-01-01T11:00:00.000Z',
    } as DialogueCommand;
    const result = await handleCommand(
      store,
      plainCodec,
      stream77,
      dialogueDecider,
      decideWith(next, context('after-long')),
      meta('after-long'),
    );
    // Two hours later: the idle session ends and a new one starts (3 events after revision events.length - 1).
    expect(result.append?.nextRevision).toBe(BigInt(events.length + 2));
    // A message recorded in the first page is still recognised as a redelivery.
    const again = await handleCommand(
      store,
      plainCodec,
      stream77,
      dialogueDecider,
      decideWith(messages[5199]!, context('bulk-5199')),
      meta('bulk-5199'),
    );
    expect(again.events).toEqual([]);
  });

  it('decides again when another writer stored part of the same command from another state', async () => {
    const first = await send(message(50), 'Ev50');
    const [received] = first.events;
    expect(received?.type).toBe('MessageReceived');
    // The same command (same key, so the same event ids) decided elsewhere as two events, the
    // first of which is stored: the store refuses the partial repeat; deciding again on what is
    // stored now settles it.
    let attempts = 0;
    const result = await handleCommand(
      store,
      plainCodec,
      stream,
      dialogueDecider,
      (state) => {
        attempts++;
        if (attempts > 1) return decideWith(message(50), context('Ev50'))(state);
        const draft = { type: received!.type, data: received!.data } as EventDraft;
        return [draft, { ...draft, data: { ...received!.data, messageId: 'other', seq: 99 } } as EventDraft];
      },
      meta('Ev50'),
      { backoff: async () => {} },
    );
    expect(attempts).toBe(2);
    expect(result.events).toEqual([]);
    const stored = await store.readStream(stream);
    expect(stored.filter((e) => e.id === received!.metadata.eventId)).toHaveLength(1);
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
