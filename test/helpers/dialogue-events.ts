import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import type { Conversation, SalesEvent } from '../../schemas/events/index.ts';
import { type SkillScores, skillKeys } from '../../schemas/skills.ts';
import { stampEvents } from '../../write/command-handler.ts';
import { decideDialogue } from '../../write/dialogue/decide.ts';
import { evolveDialogue, initialDialogueState } from '../../write/dialogue/state.ts';
import { dialogueStreamId } from '../../write/dialogue/stream.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import type { TestDatabase } from './postgres.ts';

export type GeneratedStream = { streamId: string; events: SalesEvent[] };

export type GenerateOptions = {
  users: number;
  sessionsPerUser: number;
  /** User messages per session; each gets a reply and an insight. */
  exchangesPerSession: number;
  start?: Date;
  /** Deterministic variety of scores: a rep improves over their sessions. */
  seed?: number;
  /** Index of the first rep (for generating a large population in chunks). */
  firstUser?: number;
};

const scoreFor = (user: number, session: number, exchange: number, seed: number): SkillScores => {
  const base = (i: number) => 1 + ((user * 7 + i * 3 + seed) % 3) + Math.min(2, Math.floor(session / 2));
  const s = Object.fromEntries(
    skillKeys.map((k, i) => [k, Math.max(1, Math.min(5, base(i) - ((exchange + i) % 2)))]),
  );
  return s as SkillScores;
};

/**
 * Realistic dialogue streams made through the real decider: per user, DM sessions a day apart,
 * each with exchanges (a user message, the coach's reply, an insight) and feedback on the first
 * reply. Pure: nothing is written.
 */
export const generateDialogues = (options: GenerateOptions): GeneratedStream[] => {
  const start = options.start ?? new Date(Date.UTC(2026, 0, 5, 9, 0));
  const seed = options.seed ?? 0;
  // Idempotency keys (hence event ids) differ between generations with another start.
  const run_ = start.toISOString();
  const streams: GeneratedStream[] = [];
  const first = options.firstUser ?? 0;
  for (let u = first; u < first + options.users; u++) {
    const userId = `U${String(1000 + u).padStart(8, '0')}`;
    const conversation: Conversation = {
      id: `T0001:D${u}:dm`,
      teamId: 'T0001',
      channelId: `D${String(u).padStart(8, '0')}`,
      channelKind: 'im',
      threadTs: null,
    };
    let state = initialDialogueState();
    const events: SalesEvent[] = [];
    const run = (command: DialogueCommand, at: Date, key: string) => {
      const metadata: CommandMetadata = {
        idempotencyKey: key,
        correlationId: key,
        causationId: null,
        now: at.toISOString(),
        actor: { kind: 'user', id: userId },
      };
      const stamped = stampEvents(
        decideDialogue(command, state, { metadata, inactivityMs: 30 * 60_000 }),
        metadata,
      );
      for (const e of stamped) state = evolveDialogue(state, e);
      events.push(...stamped);
      return stamped;
    };
    for (let s = 0; s < options.sessionsPerUser; s++) {
      const day = new Date(start.getTime() + s * 86_400_000 + u * 60_000);
      let sessionId = '';
      for (let x = 0; x < options.exchangesPerSession; x++) {
        const at = new Date(day.getTime() + x * 120_000);
        const messageId = `${Math.floor(at.getTime() / 1000)}.${String(u * 1000 + x).padStart(6, '0')}`;
        const stamped = run(
          {
            type: 'ReceiveUserMessage',
            conversation,
            userId,
            messageId,
            text:
              x % 2 === 0
                ? 'お客様に「高い」と言われました。どう返せばいいですか？'
                : 'How do I ask for the next meeting?',
            sentAt: at.toISOString(),
          },
          at,
          `msg-${u}-${s}-${x}@${run_}`,
        );
        const received = stamped.find((e) => e.type === 'MessageReceived');
        if (!received) throw new Error('the decider recorded no message');
        sessionId = (received.data as { sessionId: string }).sessionId;
        const replyAt = new Date(at.getTime() + 5000);
        run(
          {
            type: 'RecordAssistantReply',
            conversationId: conversation.id,
            sessionId,
            replyTo: messageId,
            text: '価格ではなく、導入後の効果から話しましょう。[1]',
            citations: [{ documentId: 'objection-price', title: '価格反論「高い」への対応' }],
          },
          replyAt,
          `reply-${u}-${s}-${x}@${run_}`,
        );
        run(
          {
            type: 'RecordInsight',
            conversationId: conversation.id,
            insight: {
              sessionId,
              userId,
              basedOnMessageId: messageId,
              scores: scoreFor(u, s, x, seed),
              strengths: ['顧客の懸念を確認した'],
              improvements: ['効果を数字で示す'],
              nextActions: ['ROI試算を用意する'],
              summary: '価格反論への対応を練習',
              model: 'mock-coach-1',
              rubric: { id: 'core', version: 1 },
              provider: 'mock',
              promptHash: null,
              origin: 'live',
            },
            skillKeys: [...skillKeys],
          },
          new Date(replyAt.getTime() + 1000),
          `insight-${u}-${s}-${x}@${run_}`,
        );
        if (x === 0) {
          run(
            {
              type: 'GiveFeedback',
              conversationId: conversation.id,
              sessionId,
              messageId: `reply:${messageId}`,
              userId,
              rating: (u + s) % 4 === 0 ? 'down' : 'up',
              comment: null,
            },
            new Date(replyAt.getTime() + 2000),
            `feedback-${u}-${s}-${x}@${run_}`,
          );
        }
      }
    }
    streams.push({ streamId: dialogueStreamId(conversation.id), events });
  }
  return streams;
};

/** Appends generated streams (in chunks, so huge streams stay under statement limits). */
export const appendGenerated = async (
  store: EventStore,
  streams: readonly GeneratedStream[],
  chunk = 500,
) => {
  for (const { streamId, events } of streams) {
    let expected: bigint | 'no_stream' = 'no_stream';
    for (let i = 0; i < events.length; i += chunk) {
      const encoded = await Promise.all(events.slice(i, i + chunk).map((e) => plainCodec.encode(e)));
      expected = (await store.append(streamId, encoded, expected)).nextRevision;
    }
  }
};

/** Appends generated dialogues to a test database through a store of its own, closed after. */
export const seedDialogues = async (db: TestDatabase, options: GenerateOptions, chunk = 1000) => {
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  try {
    await appendGenerated(store, generateDialogues(options), chunk);
  } finally {
    await store.close();
  }
};
