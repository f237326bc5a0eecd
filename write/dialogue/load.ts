import { AppError } from '../../schemas/errors.ts';
import type { ConversationSessionOpenedData } from '../../schemas/events/index.ts';
import { foldStream } from '../command-handler.ts';
import type { EventCodec } from '../event-store/codec.ts';
import {
  comparePositions,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
} from '../event-store/port.ts';
import { type DialogueState, evolveDialogue, initialDialogueState, openedState } from './state.ts';
import { conversationStreamId, dialogueStreamId, sessionStreamId } from './stream.ts';

export type DialogueReader = { store: EventStore; codec: EventCodec };

/** What a dialogue command decides on, and where its events go. */
export type LoadedDialogue = {
  /** The stream holding the session the command is about (or the conversation's current one). */
  streamId: string;
  state: DialogueState;
  expected: ExpectedRevision;
  /** The conversation stream's newest revision; null while it does not exist. */
  openedRevision: bigint | null;
  /**
   * A session the conversation stream opened whose own stream is still empty (its opener stopped
   * between the two appends): the first append to it writes its SessionStarted first.
   */
  pending: { opened: ConversationSessionOpenedData } | null;
  /** Read from a single-stream conversation that has no conversation stream yet. */
  unlinked: boolean;
  /** Events read to fold the state (beyond the conversation stream's newest event). */
  read: number;
};

/** The newest event of the conversation stream: where the current session is. */
export const readOpened = async (
  { store, codec }: DialogueReader,
  conversationId: string,
): Promise<{ data: ConversationSessionOpenedData; revision: bigint; id: string } | null> => {
  const [head] = await store.readStream(conversationStreamId(conversationId), {
    direction: 'backwards',
    maxCount: 1,
  });
  if (!head) return null;
  const event = await codec.decode(head);
  if (event.type !== 'ConversationSessionOpened')
    throw new AppError('VALIDATION', `${head.streamId} holds a ${event.type} event`);
  return { data: event.data, revision: head.revision, id: head.id };
};

/** A whole stream folded from the initial state. */
const foldWhole = (reader: DialogueReader, streamId: string) =>
  foldStream(reader.store, reader.codec, streamId, evolveDialogue, initialDialogueState());

const readSingleStream = async (reader: DialogueReader, conversationId: string): Promise<LoadedDialogue> => {
  const streamId = dialogueStreamId(conversationId);
  const folded = await foldWhole(reader, streamId);
  return {
    streamId,
    state: folded.state,
    expected: folded.last ?? 'no_stream',
    openedRevision: null,
    pending: null,
    unlinked: folded.last !== null,
    read: folded.count,
  };
};

/**
 * The conversation's current session: the conversation stream's newest event names its stream
 * and the state to fold it on. A conversation without one (new, or written in the single-stream
 * layout) is read from its single stream, once: the next append links it.
 */
export const loadCurrentSession = async (
  reader: DialogueReader,
  conversationId: string,
): Promise<LoadedDialogue> => {
  const opened = await readOpened(reader, conversationId);
  return opened ? loadOpened(reader, opened) : readSingleStream(reader, conversationId);
};

/** The session a conversation stream event names, from its revision and state on. */
const loadOpened = async (
  reader: DialogueReader,
  opened: NonNullable<Awaited<ReturnType<typeof readOpened>>>,
): Promise<LoadedDialogue> => {
  const from = BigInt(opened.data.fromRevision);
  const folded = await foldStream(
    reader.store,
    reader.codec,
    opened.data.streamId,
    evolveDialogue,
    openedState(opened.data),
    from,
  );
  return {
    streamId: opened.data.streamId,
    state: folded.state,
    expected: folded.last ?? (from > 0n ? from - 1n : 'no_stream'),
    openedRevision: opened.revision,
    pending: folded.last === null && opened.data.snapshot === null ? { opened: opened.data } : null,
    unlinked: false,
    read: folded.count,
  };
};

/**
 * A session named by a command: the current one from the conversation stream (from its last
 * snapshot on); else its own stream; else a session of the single-stream layout, read whole.
 */
export const loadNamedSession = async (
  reader: DialogueReader,
  conversationId: string,
  sessionId: string,
): Promise<LoadedDialogue> => {
  const opened = await readOpened(reader, conversationId);
  if (opened?.data.sessionId === sessionId) return loadOpened(reader, opened);
  const streamId = sessionStreamId(conversationId, sessionId);
  const folded = await foldWhole(reader, streamId);
  if (folded.last === null) return readSingleStream(reader, conversationId);
  return {
    streamId,
    state: folded.state,
    expected: folded.last,
    openedRevision: null,
    pending: null,
    unlinked: false,
    read: folded.count,
  };
};

/**
 * Every event of a conversation in the order written, across its sessions' streams and the
 * single stream of the earlier layout. Costs the whole history: for tools and tests, never a
 * command.
 */
export const readConversationRecords = async (
  { store, codec }: DialogueReader,
  conversationId: string,
): Promise<RecordedEvent[]> => {
  const streams = new Set([dialogueStreamId(conversationId)]);
  for (const record of await store.readStream(conversationStreamId(conversationId))) {
    const event = await codec.decode(record);
    if (event.type === 'ConversationSessionOpened') streams.add(event.data.streamId);
  }
  const records: RecordedEvent[] = [];
  for (const streamId of streams) records.push(...(await store.readStream(streamId)));
  return records.sort((a, b) => comparePositions(a.position, b.position));
};

/** Has anything been written in the conversation, in either layout? Two reads of one event each. */
export const conversationExists = async (reader: DialogueReader, conversationId: string): Promise<boolean> =>
  (await readOpened(reader, conversationId)) !== null ||
  (await reader.store.readStream(dialogueStreamId(conversationId), { maxCount: 1 })).length > 0;
