import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogueProjection } from '../../projections/dialogue/projection.ts';
import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import type { Conversation, SalesEvent } from '../../schemas/events/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { setupTestProjection } from '../../test/helpers/projection.ts';
import { handleCommand } from '../command-handler.ts';
import { type EventCodec, plainCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { createPostgresEventStore } from '../event-store/postgres/store.ts';
import { deterministicId } from '../ids.ts';
import { decideWith, dialogueDecider } from './decider.ts';
import { handleDialogueCommand } from './handle.ts';
import { readConversationRecords } from './load.ts';
import { conversationStreamId, dialogueStreamId, sessionStreamId } from './stream.ts';

const inactivityMs = 30 * 60_000;
const base = Date.UTC(2026, 2, 2, 9, 0, 0);
const at = (minute: number) => new Date(base + minute * 60_000).toISOString();

const dm = (): Conversation => {
  const team = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  return { id: `${team}:D1:dm`, teamId: team, channelId: 'D1', channelKind: 'im', threadTs: null };
};

type Step = { command: DialogueCommand; key: string; now: string };

const metaOf = (step: Step): CommandMetadata => ({
  idempotencyKey: step.key,
  correlationId: step.key,
  causationId: null,
  now: step.now,
  actor: { kind: 'user', id: 'U1' },
  slackEventId: step.key,
});

/** What a rep and the agent do in one DM, as commands. */
const script = (conversation: Conversation) => {
  const messageId = (n: number) => `${1772442000 + n}.000100`;
  const sessionOf = (firstMessage: number) =>
    deterministicId('session', `${conversation.id}/${messageId(firstMessage)}`);
  const say = (n: number, minute: number, extra: Partial<DialogueCommand> = {}): Step => ({
    command: {
      type: 'ReceiveUserMessage',
      conversation,
      userId: 'U1',
      messageId: messageId(n),
      text: `message ${n}`,
      sentAt: at(minute),
      ...extra,
    } as DialogueCommand,
    key: `slack-event:Ev${n}`,
    now: at(minute),
  });
  const reply = (session: number, n: number, minute: number): Step => ({
    command: {
      type: 'RecordAssistantReply',
      conversationId: conversation.id,
      sessionId: sessionOf(session),
      replyTo: messageId(n),
      text: `reply to ${n}`,
      citations: [],
    },
    key: `reply:${n}`,
    now: at(minute),
  });
  const rate = (session: number, n: number, rating: 'up' | 'down', minute: number): Step => ({
    command: {
      type: 'GiveFeedback',
      conversationId: conversation.id,
      sessionId: sessionOf(session),
      messageId: `reply:${messageId(n)}`,
      userId: 'U1',
      rating,
      comment: null,
    },
    key: `feedback:${n}:${rating}`,
    now: at(minute),
  });
  const end = (session: number, minute: number): Step => ({
    command: {
      type: 'EndSession',
      conversationId: conversation.id,
      sessionId: sessionOf(session),
      reason: 'user',
    },
    key: `end:${session}`,
    now: at(minute),
  });
  // Written by the single-stream version: three sessions, the last one under way.
  const before: Step[] = [
    say(1, 0),
    reply(1, 1, 0),
    say(2, 5),
    reply(1, 2, 5),
    rate(1, 1, 'up', 6),
    say(3, 60),
    reply(3, 3, 60),
    say(4, 120),
    reply(4, 4, 120),
    say(5, 125),
  ];
  // Then the new version: the reply the agent still owed, the open session going on, redeliveries,
  // feedback on an old reply, idle and roleplay session changes, an ended session.
  const after: Step[] = [
    reply(4, 5, 126),
    say(6, 130),
    reply(4, 6, 130),
    say(6, 130),
    rate(1, 1, 'down', 131),
    say(7, 200),
    say(5, 125),
    reply(7, 7, 200),
    say(8, 201, { text: 'ロールプレイ: 価格に厳しい購買担当', startMode: 'roleplay', persona: '購買担当' }),
    reply(8, 8, 201),
    end(8, 202),
    rate(7, 7, 'up', 203),
    say(9, 300),
    say(10, 301),
    reply(9, 9, 301),
  ];
  return { before, after, sessionOf };
};

/** A rep's message in a DM, numbered within a test by `tag`. */
const sayIn =
  (conversation: Conversation, tag: string) =>
  (n: number, minute: number): Step => ({
    command: {
      type: 'ReceiveUserMessage',
      conversation,
      userId: 'U1',
      messageId: `${1772442000 + n}.${tag}`,
      text: `${tag} ${n}`,
      sentAt: at(minute),
    },
    key: `${tag}:${n}`,
    now: at(minute),
  });

const oldWrite = (store: EventStore, step: Step) => {
  const conversationId =
    step.command.type === 'ReceiveUserMessage' ? step.command.conversation.id : step.command.conversationId;
  return handleCommand(
    store,
    plainCodec,
    dialogueStreamId(conversationId),
    dialogueDecider,
    decideWith(step.command, { metadata: metaOf(step), inactivityMs }),
    metaOf(step),
  );
};

const newWrite = (store: EventStore, step: Step, codec: EventCodec = plainCodec) =>
  handleDialogueCommand({ store, codec, inactivityMs }, step.command, metaOf(step), { maxAttempts: 50 });

/**
 * Every event of a conversation in global order, decoded. (Read by stream: a subscription's view
 * of the whole store may hold back what other transactions on the shared server still hide.)
 */
const allEvents = async (store: EventStore, conversationId: string): Promise<SalesEvent[]> =>
  Promise.all(
    (await readConversationRecords({ store, codec: plainCodec }, conversationId)).map((r) =>
      plainCodec.decode(r),
    ),
  );

/** A codec that counts what it decodes: the cost of a command is the events it reads. */
const countingCodec = () => {
  let decoded = 0;
  const codec: EventCodec = {
    encode: plainCodec.encode,
    decode: (record) => {
      decoded++;
      return plainCodec.decode(record);
    },
    decodeTrusted: plainCodec.decodeTrusted,
  };
  return { codec, take: () => decoded, reset: () => (decoded = 0) };
};

describe('dialogue streams: a stream per session, and stores of the single-stream layout', () => {
  let dbA: TestDatabase;
  let dbB: TestDatabase;
  let storeA: EventStore;
  let storeB: EventStore;

  beforeAll(async () => {
    dbA = await createTestDatabase({ max: 20 });
    dbB = await createTestDatabase({ max: 20 });
    storeA = createPostgresEventStore({ pool: dbA.pool, schema: dbA.schema, listenConfig: dbA.listenConfig });
    storeB = createPostgresEventStore({ pool: dbB.pool, schema: dbB.schema, listenConfig: dbB.listenConfig });
  });
  afterAll(async () => {
    await storeA.close();
    await storeB.close();
    await dbA.drop();
    await dbB.drop();
  });

  it('goes on from a store written in the single-stream layout with the same decisions and the same read models', async () => {
    const conversation = dm();
    const { before, after, sessionOf } = script(conversation);
    // Store A: everything written as the single-stream version did. Store B: upgraded in between.
    const decisionsA: number[] = [];
    const decisionsB: number[] = [];
    for (const step of [...before, ...after]) decisionsA.push((await oldWrite(storeA, step)).events.length);
    for (const step of before) decisionsB.push((await oldWrite(storeB, step)).events.length);
    const projectionB = await setupTestProjection(dbB, dialogueProjection);
    await projectionB.apply(await allEvents(storeB, conversation.id));
    const projected = (await allEvents(storeB, conversation.id)).length;
    for (const step of after) decisionsB.push((await newWrite(storeB, step)).events.length);
    expect(decisionsB).toEqual(decisionsA);
    // The redeliveries (of a message of the same session, and of one of the session before) add nothing.
    expect(decisionsB[before.length + 3]).toBe(0);
    expect(decisionsB[before.length + 6]).toBe(0);

    // B's projection went on live from where it was; A's is a rebuild from its whole store.
    await projectionB.apply((await allEvents(storeB, conversation.id)).slice(projected));
    const projectionA = await setupTestProjection(dbA, dialogueProjection);
    await projectionA.apply(await allEvents(storeA, conversation.id));
    const rows = async (db: TestDatabase) => ({
      sessions: (
        await db.pool.query(
          `SELECT session_id, conversation_id, user_id, mode, persona, started_at, ended_at, end_reason,
                  message_count, last_message_at FROM dialogue_sessions ORDER BY session_id`,
        )
      ).rows,
      messages: (
        await db.pool.query(
          `SELECT session_id, seq, message_id, role, text, reply_to, sent_at FROM dialogue_messages
            ORDER BY session_id, seq`,
        )
      ).rows,
      feedback: (
        await db.pool.query(
          'SELECT session_id, message_id, rating, given_at FROM dialogue_feedback ORDER BY session_id, message_id',
        )
      ).rows,
    });
    const [a, b] = [await rows(dbA), await rows(dbB)];
    expect(b.sessions).toHaveLength(6);
    expect(b.messages.length).toBeGreaterThan(15);
    expect(b).toEqual(a);

    // The layout: the session under way at the upgrade went on in the single stream; the ones
    // after have streams of their own, named by the conversation stream.
    const single = await storeB.readStream(dialogueStreamId(conversation.id));
    expect(single.filter((r) => r.type === 'SessionStarted')).toHaveLength(3);
    const opened = await Promise.all(
      (await storeB.readStream(conversationStreamId(conversation.id))).map((r) => plainCodec.decode(r)),
    );
    expect(opened.map((e) => (e.type === 'ConversationSessionOpened' ? e.data.streamId : e.type))).toEqual([
      dialogueStreamId(conversation.id),
      sessionStreamId(conversation.id, sessionOf(7)),
      sessionStreamId(conversation.id, sessionOf(8)),
      sessionStreamId(conversation.id, sessionOf(9)),
    ]);
    const s9 = await storeB.readStream(sessionStreamId(conversation.id, sessionOf(9)));
    expect(s9.map((r) => r.type)).toEqual([
      'SessionStarted',
      'MessageReceived',
      'MessageReceived',
      'MessageReceived',
    ]);
    // Read together, the conversation's events are those of the single-stream store, in order.
    const together = await readConversationRecords({ store: storeB, codec: plainCodec }, conversation.id);
    const everything = await storeA.readStream(dialogueStreamId(conversation.id));
    expect(together.map((r) => r.type)).toEqual(everything.map((r) => r.type));
  });
});

/** The new layout's guarantees on a store: either adapter, through the port only. */
const describeLayout = (
  name: string,
  open: () => Promise<{ store: EventStore; close: () => Promise<void> }>,
) =>
  describe(`dialogue streams on the ${name}`, () => {
    let storeB: EventStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store: storeB, close } = await open());
    });
    afterAll(() => close());

    it('records a message at a cost that does not grow with the conversation, after reading an old one once', async () => {
      const conversation = dm();
      const say = sayIn(conversation, '000200');
      // 2,400 events in the single stream: 40 sessions of 30 messages, each answered.
      const steps: Step[] = [];
      for (let s = 0; s < 40; s++) {
        for (let m = 0; m < 30; m++) {
          const n = s * 30 + m;
          const minute = s * 60 + m;
          steps.push(say(n, minute));
        }
      }
      const { stampEvents } = await import('../command-handler.ts');
      const { decideDialogue } = await import('./decide.ts');
      const { evolveDialogue, initialDialogueState } = await import('./state.ts');
      let state = initialDialogueState();
      const events: SalesEvent[] = [];
      for (const step of steps) {
        for (const e of stampEvents(
          decideDialogue(step.command, state, { metadata: metaOf(step), inactivityMs }),
          metaOf(step),
        )) {
          state = evolveDialogue(state, e);
          events.push(e);
        }
      }
      for (let i = 0; i < events.length; i += 500)
        await storeB.append(
          dialogueStreamId(conversation.id),
          await Promise.all(events.slice(i, i + 500).map((e) => plainCodec.encode(e))),
        );

      const counting = countingCodec();
      const send = async (n: number, minute: number) => {
        counting.reset();
        const result = await newWrite(storeB, say(n, minute), counting.codec);
        expect(result.events.length).toBeGreaterThan(0);
        return counting.take();
      };
      // The session under way goes on: the single stream is read in full once, and then no more.
      const first = await send(2000, 40 * 60 - 30 + 29 + 1);
      expect(first).toBeGreaterThanOrEqual(events.length);
      const costs: number[] = [];
      for (let n = 2001; n < 2011; n++) costs.push(await send(n, 40 * 60));
      // An idle gap: a session of its own, then its messages.
      for (let n = 2011; n < 2031; n++) costs.push(await send(n, 41 * 60 + n - 2011));
      // Each message reads the conversation stream's newest event and its own session, nothing older.
      expect(Math.max(...costs)).toBeLessThanOrEqual(1 + 20);
      expect(costs.at(-1)).toBe(1 + 20);
    });

    it('bounds the cost of a session that never pauses: a snapshot in the conversation stream every hundred events', async () => {
      const conversation = dm();
      const say = sayIn(conversation, '000500');
      const counting = countingCodec();
      const messageCosts: number[] = [];
      const replyCosts: number[] = [];
      for (let n = 0; n < 300; n++) {
        counting.reset();
        // Six seconds apart: one session throughout.
        const recorded = await newWrite(storeB, say(n, n / 10), counting.codec);
        messageCosts.push(counting.take());
        counting.reset();
        await newWrite(
          storeB,
          {
            command: {
              type: 'RecordAssistantReply',
              conversationId: conversation.id,
              sessionId: recorded.state.current!.id,
              replyTo: `${1772442000 + n}.000500`,
              text: `reply ${n}`,
              citations: [],
            },
            key: `reply:${n}`,
            now: at(n / 10),
          },
          counting.codec,
        );
        replyCosts.push(counting.take());
      }
      // The conversation stream's newest event and at most a hundred and one events after it.
      expect(Math.max(...messageCosts)).toBeLessThanOrEqual(1 + 101);
      expect(Math.max(...replyCosts)).toBeLessThanOrEqual(1 + 101);
      const events = await allEvents(storeB, conversation.id);
      expect(events.filter((e) => e.type === 'SessionStarted')).toHaveLength(1);
      const seqs = events.flatMap((e) => (e.type === 'MessageReceived' ? [e.data.seq] : []));
      expect(seqs).toEqual([...Array(600).keys()]);
      const opened = await storeB.readStream(conversationStreamId(conversation.id));
      expect(opened.length).toBeGreaterThanOrEqual(5);
    });

    it('keeps one session for concurrent first messages, and one new session for concurrent messages after a pause', async () => {
      const conversation = dm();
      const say = sayIn(conversation, '000300');
      const first = await Promise.all(Array.from({ length: 8 }, (_, n) => newWrite(storeB, say(n, 0))));
      expect(first.every((r) => r.events.length > 0)).toBe(true);
      const later = await Promise.all(
        Array.from({ length: 8 }, (_, n) => newWrite(storeB, say(100 + n, 90))),
      );
      expect(later.every((r) => r.events.length > 0)).toBe(true);
      // Redelivered all at once: nothing new.
      const again = await Promise.all([...first.keys()].map((n) => newWrite(storeB, say(n, 0))));
      expect(again.every((r) => r.events.length === 0)).toBe(true);

      const events = await Promise.all(
        (await readConversationRecords({ store: storeB, codec: plainCodec }, conversation.id)).map((r) =>
          plainCodec.decode(r),
        ),
      );
      const started = events.filter((e) => e.type === 'SessionStarted');
      expect(started).toHaveLength(2);
      expect(events.filter((e) => e.type === 'SessionEnded')).toHaveLength(1);
      for (const session of started) {
        const seqs = events
          .filter((e) => e.type === 'MessageReceived' && e.data.sessionId === session.data.sessionId)
          .map((e) => (e.type === 'MessageReceived' ? e.data.seq : -1));
        expect(seqs).toEqual([...Array(8).keys()]);
      }
    });

    it('completes a session whose opener stopped between the conversation stream and the session stream', async () => {
      const conversation = dm();
      const say = sayIn(conversation, '000400');
      await newWrite(storeB, say(1, 0));
      // The process stops after opening the next session and before writing its stream.
      let failed = false;
      const stopping: EventStore = {
        ...storeB,
        append: (streamId, events, expected) => {
          if (!failed && streamId.includes('/') && expected === 'no_stream') {
            failed = true;
            return Promise.reject(new Error('process stopped'));
          }
          return storeB.append(streamId, events, expected);
        },
      };
      await expect(newWrite(stopping, say(2, 60))).rejects.toThrow('process stopped');
      // The next message joins the opened session, which it starts; Slack's retry of the lost one follows.
      expect((await newWrite(storeB, say(3, 61))).events.map((e) => e.type)).toEqual([
        'SessionStarted',
        'MessageReceived',
      ]);
      expect((await newWrite(storeB, say(2, 60))).events.map((e) => e.type)).toEqual(['MessageReceived']);
      expect((await newWrite(storeB, say(2, 60))).events).toEqual([]);
      const events = await Promise.all(
        (await readConversationRecords({ store: storeB, codec: plainCodec }, conversation.id)).map((r) =>
          plainCodec.decode(r),
        ),
      );
      expect(events.map((e) => e.type)).toEqual([
        'SessionStarted',
        'MessageReceived',
        'SessionEnded',
        'SessionStarted',
        'MessageReceived',
        'MessageReceived',
      ]);
      const second = events[3]!;
      expect(second.type === 'SessionStarted' && second.data.startedAt).toBe(at(60));
    });
  });

describeLayout('Postgres event store', async () => {
  const db = await createTestDatabase({ max: 20 });
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  return {
    store,
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
});

const eventStoreUrl = process.env.EVENTSTORE_URL;
if (eventStoreUrl) {
  // Conversations have random team ids, so a shared server is fine.
  describeLayout('EventStoreDB', async () => {
    const { createEventStoreDbStore } = await import('../event-store/eventstoredb/store.ts');
    const store = createEventStoreDbStore(eventStoreUrl);
    return { store, close: () => store.close() };
  });
} else {
  // No server: the wire-level test double, over real gRPC with the real client.
  describeLayout('EventStoreDB (wire-level test double)', async () => {
    const { startEventStoreDouble } = await import('../../test/stubs/eventstoredb/server.ts');
    const { createEventStoreDbStore } = await import('../event-store/eventstoredb/store.ts');
    const server = await startEventStoreDouble();
    const store = createEventStoreDbStore(server.url);
    return {
      store,
      close: async () => {
        await store.close();
        await server.stop();
      },
    };
  });
}
