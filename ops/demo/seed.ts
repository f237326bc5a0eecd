import { addDays, localDate } from '../../dashboard/time.ts';
import type { CommandMetadata } from '../../schemas/commands.ts';
import { type DialogueWriter, sendDialogueCommand } from '../../write/agent/dialogue-commands.ts';
import { conversationExists, readConversationRecords } from '../../write/dialogue/load.ts';
import type { DialogueState } from '../../write/dialogue/state.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import {
  type DemoConversation,
  demoAnchorConversationId,
  demoEndFromAnchor,
  demoTimeZone,
  demoWeeks,
  generateDemo,
} from './generate.ts';
import { demoReps } from './reps.ts';

export type SeedDemoDeps = {
  store: EventStore;
  codec: EventCodec;
  now?: () => Date;
  /** SESSION_INACTIVITY_MINUTES in milliseconds (default 30 minutes). */
  inactivityMs?: number;
};

export type SeedDemoSummary = {
  /** The demo's period, `YYYY-MM-DD` (Tokyo), end exclusive. */
  from: string;
  to: string;
  reps: number;
  sessions: number;
  /** Conversations this run wrote, and the events it appended. */
  writtenConversations: number;
  appendedEvents: number;
  /** Conversations an earlier (or concurrent) run had written already. */
  presentConversations: number;
};

/** Conversations seeded at once: each is a sequence of commands, its own consistency boundary. */
const PARALLEL = 4;

/**
 * The day the demo is for: the one an earlier run chose (read back from the first rep's first
 * session, so a run on a later day sends the very same commands), else today.
 */
const demoEnd = async ({ store, codec, now }: SeedDemoDeps): Promise<string> => {
  const records = await readConversationRecords({ store, codec }, demoAnchorConversationId());
  for (const record of records) {
    const event = await codec.decode(record);
    if (event.type === 'SessionStarted') return demoEndFromAnchor(event.data.startedAt);
  }
  return localDate((now ?? (() => new Date()))(), demoTimeZone);
};

/** The session holding a user message already recorded (by another run), if this state shows it. */
const sessionHolding = (state: DialogueState, messageId: string): string | null =>
  Object.values(state.sessions).find((s) => s.userMessages.includes(messageId))?.id ?? null;

/**
 * Sends one conversation's commands through the command path. Returns the events appended, or
 * null when another run is writing it (a message of it is recorded in a session this run cannot
 * see): that run finishes it.
 */
const seedConversation = async (writer: DialogueWriter, conversation: DemoConversation) => {
  let sessionId = '';
  let appended = 0;
  for (const step of conversation.steps) {
    const command = step.command(sessionId);
    const metadata: CommandMetadata = {
      idempotencyKey: step.key,
      correlationId: step.key,
      causationId: null,
      now: step.at,
      actor: { kind: 'user', id: step.actorId },
    };
    const result = await sendDialogueCommand(writer, command, metadata);
    appended += result.events.length;
    if (command.type === 'ReceiveUserMessage') {
      const received = result.events.find((e) => e.type === 'MessageReceived');
      const id =
        received?.type === 'MessageReceived'
          ? received.data.sessionId
          : sessionHolding(result.state, command.messageId);
      if (id === null) return null;
      sessionId = id;
    }
  }
  return appended;
};

/**
 * Writes the demo through the command path, as Slack and the agent would: every message, reply,
 * insight and piece of feedback is a dialogue command with an idempotency key derived from the
 * day the demo is for. A conversation that has anything in it is left alone, so a second run adds
 * nothing; two runs racing record each command once.
 */
export const seedDemo = async (
  deps: SeedDemoDeps,
  titles: ReadonlyMap<string, string>,
): Promise<SeedDemoSummary> => {
  const end = await demoEnd(deps);
  const conversations = generateDemo({ end, titles });
  const writer: DialogueWriter = {
    store: deps.store,
    codec: deps.codec,
    inactivityMs: deps.inactivityMs ?? 30 * 60_000,
  };
  let writtenConversations = 0;
  let appendedEvents = 0;
  let presentConversations = 0;
  const queue = [...conversations];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (await conversationExists(writer, next.conversationId)) {
        presentConversations++;
        continue;
      }
      const appended = await seedConversation(writer, next);
      if (appended === null || appended === 0) presentConversations++;
      else writtenConversations++;
      appendedEvents += appended ?? 0;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const sessions = conversations.reduce((n, c) => n + c.sessions, 0);
  return {
    from: addDays(end, -demoWeeks * 7),
    to: end,
    reps: demoReps.length,
    sessions,
    writtenConversations,
    appendedEvents,
    presentConversations,
  };
};
