import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { isAppError } from '../../schemas/errors.ts';
import {
  type ConversationSessionOpenedData,
  makeEvent,
  type SalesEvent,
} from '../../schemas/events/index.ts';
import { type HandleResult, type HandlerOptions, retryOnConflict, stampEvents } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import type { AppendResult } from '../event-store/port.ts';
import { deterministicId } from '../ids.ts';
import { decideDialogue } from './decide.ts';
import { type DialogueReader, type LoadedDialogue, loadCurrentSession, loadNamedSession } from './load.ts';
import { type DialogueState, evolveDialogue, type SessionInfo } from './state.ts';
import { conversationStreamId, sessionStreamId } from './stream.ts';

export type DialogueWriter = DialogueReader & {
  /** SESSION_INACTIVITY_MINUTES in milliseconds. */
  inactivityMs: number;
};

export type DialogueResult = HandleResult<DialogueState> & {
  /** The stream of the session the command ended up in. */
  streamId: string;
};

export const conversationOf = (command: DialogueCommand): string =>
  command.type === 'ReceiveUserMessage' ? command.conversation.id : command.conversationId;

const namedSessionOf = (command: Exclude<DialogueCommand, { type: 'ReceiveUserMessage' }>): string =>
  command.type === 'RecordInsight' ? command.insight.sessionId : command.sessionId;

const sessionIdOf = (event: SalesEvent): string | null =>
  'sessionId' in event.data ? (event.data.sessionId as string) : null;

/**
 * Event ids from the command's key, the event's type and its session: a command decided again
 * after a partial write (its first append stored, its second not) may decide differently, and
 * no id then names two different events, in any stream.
 */
const stampDialogueEvents = (drafts: readonly EventDraft[], metadata: CommandMetadata): SalesEvent[] =>
  drafts.flatMap((draft) =>
    stampEvents([draft], {
      ...metadata,
      idempotencyKey: `${metadata.idempotencyKey}#${draft.type}:${(draft.data as { sessionId?: string }).sessionId}`,
    }),
  );

const metadataFor = (metadata: CommandMetadata, key: string, subjectId: string) => ({
  eventId: deterministicId('event', key),
  correlationId: metadata.correlationId,
  causationId: metadata.causationId,
  occurredAt: metadata.now,
  actor: metadata.actor,
  ...(metadata.slackEventId ? { slackEventId: metadata.slackEventId } : {}),
  subjectId,
});

/** The SessionStarted event of a session opened in the conversation stream, from what that says. */
const startedFrom = (pending: NonNullable<LoadedDialogue['pending']>, metadata: CommandMetadata) => {
  const { opened } = pending;
  return makeEvent(
    'SessionStarted',
    {
      sessionId: opened.sessionId,
      userId: opened.userId,
      conversation: opened.conversation,
      mode: opened.mode,
      persona: opened.persona,
      startedAt: opened.startedAt,
    },
    // The command's own id: of two writers starting it at once, one appends and the other decides again.
    metadataFor(metadata, `${metadata.idempotencyKey}#starts:${opened.sessionId}`, opened.userId),
  );
};

const openedEvent = (data: ConversationSessionOpenedData, metadata: CommandMetadata, key: string) =>
  makeEvent('ConversationSessionOpened', data, metadataFor(metadata, key, data.userId));

/**
 * A message that had to read more than this many events of its session writes a snapshot of it to
 * the conversation stream: a long session (a rep who never pauses for half an hour) costs no more
 * to go on than a short one.
 */
const SNAPSHOT_AFTER = 100;

const snapshotOf = (session: SessionInfo) => ({
  lastActivityAt: session.lastActivityAt,
  nextSeq: session.nextSeq,
  ended: session.ended,
  userMessages: [...session.userMessages],
  assistantMessages: [...session.assistantMessages],
  repliedTo: [...session.repliedTo],
  insightsFor: [...session.insightsFor],
  feedback: { ...session.feedback },
});

/**
 * Handles a dialogue command on the session it concerns, with a stream per session.
 *
 * A message that starts a session writes, in this order: what ends the previous session (in that
 * session's stream, at the revision read: two writers cannot both end it); the conversation
 * stream's `ConversationSessionOpened` (at the revision read: of two writers opening a session,
 * one wins and the other decides again, joining the winner's session); the new session's
 * SessionStarted and message (to a stream that must not exist yet). Whatever stops between two
 * of these appends leaves a state the next command completes: an ended session (the next message
 * opens one), or an opened session without a stream (the next write starts it from what the
 * conversation stream says).
 */
export const handleDialogueCommand = (
  writer: DialogueWriter,
  command: DialogueCommand,
  metadata: CommandMetadata,
  options: HandlerOptions = {},
): Promise<DialogueResult> => {
  const { store, codec } = writer;
  const conversationId = conversationOf(command);
  const encode = (events: readonly SalesEvent[]) => Promise.all(events.map((e) => codec.encode(e)));
  return retryOnConflict(options, async () => {
    const loaded =
      command.type === 'ReceiveUserMessage'
        ? await loadCurrentSession(writer, conversationId)
        : await loadNamedSession(writer, conversationId, namedSessionOf(command));
    let state = loaded.state;
    const events = stampDialogueEvents(
      decideDialogue(command, state, { metadata, inactivityMs: writer.inactivityMs }),
      metadata,
    );
    if (events.length === 0) return { events, state, append: null, streamId: loaded.streamId };

    const started = events.find((e) => e.type === 'SessionStarted');
    const newSessionId = started ? started.data.sessionId : null;
    const here = events.filter((e) => sessionIdOf(e) !== newSessionId);
    const appends: AppendResult[] = [];
    const recorded: SalesEvent[] = [];
    let streamId = loaded.streamId;

    if (here.length > 0) {
      const written = loaded.pending ? [startedFrom(loaded.pending, metadata), ...here] : here;
      appends.push(await store.append(loaded.streamId, await encode(written), loaded.expected));
      for (const event of written) state = evolveDialogue(state, event);
      recorded.push(...written);
      if (
        command.type === 'ReceiveUserMessage' &&
        !started &&
        state.current &&
        (loaded.unlinked || loaded.read > SNAPSHOT_AFTER)
      ) {
        // The session goes on where it is; from now on it is read from here, not from further back.
        const session = state.current;
        const snapshot = openedEvent(
          {
            sessionId: session.id,
            conversation: command.conversation,
            userId: session.userId,
            mode: session.mode,
            persona: null,
            startedAt: session.startedAt,
            streamId: loaded.streamId,
            fromRevision: Number(appends[0]!.nextRevision) + 1,
            snapshot: snapshotOf(session),
            recentMessageIds: [...state.recentMessageIds],
          },
          metadata,
          `${metadata.idempotencyKey}#snapshot`,
        );
        try {
          await store.append(
            conversationStreamId(conversationId),
            await encode([snapshot]),
            loaded.openedRevision ?? 'no_stream',
          );
        } catch (error) {
          // The conversation moved on meanwhile (another snapshot, or a new session): as good.
          if (!isAppError(error, 'WRONG_EXPECTED_REVISION')) throw error;
        }
      }
    }

    if (started) {
      const next = events.filter((e) => sessionIdOf(e) === newSessionId);
      const opened = openedEvent(
        {
          sessionId: started.data.sessionId,
          conversation: started.data.conversation,
          userId: started.data.userId,
          mode: started.data.mode,
          persona: started.data.persona,
          startedAt: started.data.startedAt,
          streamId: sessionStreamId(conversationId, started.data.sessionId),
          fromRevision: 0,
          snapshot: null,
          recentMessageIds: [...state.recentMessageIds],
        },
        metadata,
        `${metadata.idempotencyKey}#opens`,
      );
      await store.append(
        conversationStreamId(conversationId),
        await encode([opened]),
        loaded.openedRevision ?? 'no_stream',
      );
      streamId = opened.data.streamId;
      appends.push(await store.append(streamId, await encode(next), 'no_stream'));
      for (const event of next) state = evolveDialogue(state, event);
      recorded.push(...next);
    }

    const append = appends.at(-1)!;
    const duplicate = appends.every((a) => a.duplicate);
    return { events: duplicate ? [] : recorded, state, append: { ...append, duplicate }, streamId };
  });
};
