import { randomUUID } from 'node:crypto';
import { createPgCheckpointStore } from '../../ops/runtime/agent/checkpoints.ts';
import { createKnowledgeRetriever } from '../../ops/runtime/agent/retriever.ts';
import { knowledgeProjection } from '../../projections/knowledge/projection.ts';
import type { DialogueCommand } from '../../schemas/commands.ts';
import type { Conversation, EventOf, SalesEvent } from '../../schemas/events/index.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { sendDialogueCommand } from '../../write/agent/dialogue-commands.ts';
import { createMockLlm } from '../../write/agent/llm/mock.ts';
import type { ChatRequest, LlmPort } from '../../write/agent/llm/port.ts';
import type { AgentMetrics, ReplyContext, ReplyPresenter } from '../../write/agent/ports.ts';
import { type AgentReactorOptions, runAgentReactor } from '../../write/agent/reactor/reactor.ts';
import { readConversationRecords } from '../../write/dialogue/load.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { comparePositions, type EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { setupTestProjection } from '../helpers/projection.ts';
import { corpusEvents } from '../knowledge/corpus.ts';

export const inactivityMs = 30 * 60_000;

export const dm = (channel = `D${randomUUID().slice(0, 8).toUpperCase()}`): Conversation => ({
  id: `T1:${channel}:dm`,
  teamId: 'T1',
  channelId: channel,
  channelKind: 'im',
  threadTs: null,
});

/** An LLM that counts its calls by task (to prove a repeat asks the model nothing). */
export const countingLlm = (inner: LlmPort = createMockLlm()) => {
  const calls: string[] = [];
  const task = (r: ChatRequest) => r.hints?.task ?? (r.json ? 'insight' : 'reply');
  const llm: LlmPort = {
    provider: inner.provider,
    model: inner.model,
    complete: (request) => {
      calls.push(task(request));
      return inner.complete(request);
    },
    stream: (request) => {
      calls.push(task(request));
      return inner.stream(request);
    },
  };
  return { llm, calls };
};

/** Polls until `check` holds. */
export const until = async (check: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const countingMetrics = () => {
  const llmFailures: string[] = [];
  const eventFailures: string[] = [];
  const metrics: AgentMetrics = {
    llmFailure: (provider, reason) => llmFailures.push(`${provider}:${reason}`),
    eventFailed: (type) => eventFailures.push(type),
  };
  return { metrics, llmFailures, eventFailures };
};

/**
 * Records what a presenter was shown, per reply. Like Slack's presenter, it resumes a reply it
 * began and did not finish (and only such a one).
 */
export const recordingPresenter = () => {
  const shown: {
    context: ReplyContext;
    deltas: string[];
    final?: string;
    citations?: unknown[];
    failed?: string;
    resumed?: boolean;
  }[] = [];
  const streamOf = (entry: (typeof shown)[number]) => ({
    append: (delta: string) => {
      entry.deltas.push(delta);
    },
    finish: (text: string, citations: unknown[]) => {
      entry.final = text;
      entry.citations = citations;
    },
    fail: (apology: string) => {
      entry.failed = apology;
    },
  });
  const presenter: ReplyPresenter = {
    resume: async (context) => {
      const entry = shown.find(
        (s) =>
          s.context.conversation.id === context.conversation.id &&
          s.context.replyTo === context.replyTo &&
          s.final === undefined &&
          s.failed === undefined,
      );
      if (!entry) return null;
      entry.resumed = true;
      return streamOf(entry);
    },
    begin: (context) => {
      const entry: (typeof shown)[number] = { context, deltas: [] };
      shown.push(entry);
      return streamOf(entry);
    },
  };
  return { presenter, shown };
};

export type Harness = {
  db: TestDatabase;
  store: EventStore;
  say: (
    conversation: Conversation,
    messageId: string,
    text: string,
    extra?: Partial<DialogueCommand>,
  ) => Promise<SalesEvent[]>;
  send: (command: DialogueCommand, key: string) => Promise<SalesEvent[]>;
  events: (conversationId: string) => Promise<SalesEvent[]>;
  replies: (conversationId: string) => Promise<EventOf<'MessageReceived'>[]>;
  insights: (conversationId: string) => Promise<EventOf<'InsightDerived'>[]>;
  waitFor: (
    conversationId: string,
    check: (events: SalesEvent[]) => boolean,
    timeoutMs?: number,
  ) => Promise<SalesEvent[]>;
  /** Waits until the named reactor's checkpoint has passed the conversation's last event it acts on. */
  caughtUp: (reactorName: string, conversationId: string, timeoutMs?: number) => Promise<void>;
  /** Starts a reactor (mock LLM unless given); `stop` waits for it to finish. */
  reactor: (options?: Partial<AgentReactorOptions>) => { stop: () => Promise<void>; done: Promise<void> };
  close: () => Promise<void>;
};

/** A fresh schema with the Postgres event store and the knowledge read model of the starter corpus. */
export const startHarness = async (): Promise<Harness> => {
  const db = await createTestDatabase();
  const store = createPostgresEventStore({
    pool: db.pool,
    schema: db.schema,
    listenConfig: db.listenConfig,
    pollIntervalMs: 50,
  });
  const { apply } = await setupTestProjection(db, knowledgeProjection);
  await apply(await corpusEvents());
  const running = new Set<AbortController>();

  const send = async (command: DialogueCommand, key: string) =>
    (
      await sendDialogueCommand({ store, codec: plainCodec, inactivityMs }, command, {
        idempotencyKey: key,
        correlationId: key,
        causationId: null,
        now: new Date().toISOString(),
        actor: { kind: 'user', id: 'U111' },
      })
    ).events;

  const reader = { store, codec: plainCodec };
  const records = (conversationId: string) => readConversationRecords(reader, conversationId);
  const events = async (conversationId: string) =>
    Promise.all((await records(conversationId)).map((r) => plainCodec.decode(r)));

  return {
    db,
    store,
    send,
    say: (conversation, messageId, text, extra = {}) =>
      send(
        {
          type: 'ReceiveUserMessage',
          conversation,
          userId: 'U111',
          messageId,
          text,
          sentAt: new Date().toISOString(),
          ...extra,
        } as DialogueCommand,
        `slack:${conversation.id}:${messageId}`,
      ),
    events,
    replies: async (id) =>
      (await events(id)).filter(
        (e): e is EventOf<'MessageReceived'> => e.type === 'MessageReceived' && e.data.role === 'assistant',
      ),
    insights: async (id) =>
      (await events(id)).filter((e): e is EventOf<'InsightDerived'> => e.type === 'InsightDerived'),
    waitFor: async (id, check, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await events(id);
        if (check(all)) return all;
        if (Date.now() > deadline) throw new Error(`timed out; events: ${all.map((e) => e.type).join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    caughtUp: async (reactorName, conversationId, timeoutMs = 15_000) => {
      const acted = (await records(conversationId)).filter((r) =>
        ['SessionStarted', 'MessageReceived', 'SessionEnded'].includes(r.type),
      );
      const target = acted.at(-1)?.position;
      if (!target) return;
      const checkpoints = createPgCheckpointStore(db.pool);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const checkpoint = await checkpoints.get(reactorName);
        if (checkpoint && comparePositions(checkpoint, target) >= 0) return;
        if (Date.now() > deadline) throw new Error(`reactor ${reactorName} did not catch up`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    reactor: (options = {}) => {
      const controller = new AbortController();
      running.add(controller);
      const done = runAgentReactor(
        {
          store,
          codec: plainCodec,
          llm: createMockLlm(),
          retriever: createKnowledgeRetriever(db.pool, silentLogger),
          checkpoints: createPgCheckpointStore(db.pool),
          logger: silentLogger,
          inactivityMs,
          checkpointDelayMs: 20,
          retryDelayMs: 20,
          ...options,
        },
        controller.signal,
      );
      return {
        done,
        stop: async () => {
          controller.abort();
          running.delete(controller);
          await done;
        },
      };
    },
    close: async () => {
      for (const controller of running) controller.abort();
      await new Promise((r) => setTimeout(r, 100));
      await store.close();
      await db.drop();
    },
  };
};
