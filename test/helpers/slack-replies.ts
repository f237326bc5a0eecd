import type pg from 'pg';
import { textsFor } from '../../slack-edge/text/messages.ts';
import { conversationId, conversationOfStream, dialogueStreamId } from '../../write/dialogue/stream.ts';
import { type StubMessage, stubTeam } from '../stubs/slack-api.ts';

const placeholders = new Set([textsFor('ja').placeholder, textsFor('en').placeholder]);

/** A user message the app stored, as the event store has it. */
export type StoredMessage = { streamId: string; messageId: string };

/** Every user message in the store, with the stream it is in. */
export const storedUserMessages = async (pool: pg.Pool): Promise<StoredMessage[]> => {
  const { rows } = await pool.query<{ stream_id: string; message_id: string }>(
    `SELECT stream_id, data->>'messageId' AS message_id FROM es_events
      WHERE type = 'MessageReceived' AND data->>'role' = 'user' ORDER BY global_position`,
  );
  // Named by the conversation's stream, whichever stream of it (a session's own) holds the event.
  return rows.map((r) => ({
    streamId: dialogueStreamId(conversationOfStream(r.stream_id)),
    messageId: r.message_id,
  }));
};

/** A message of ours still unfinished in Slack: a placeholder, or a stream not stopped. */
export const unfinished = (m: StubMessage) => m.streaming || placeholders.has(m.text);

/** Where the reply to a message shows: the top level of its DM, or the thread the mention started. */
export const replyPlace = (message: { kind: 'dm' | 'mention'; channel: string; ts: string }) => ({
  conversation: conversationId(stubTeam.id, message.channel, message.kind === 'dm' ? null : message.ts),
  threadTs: message.kind === 'dm' ? null : message.ts,
});

/**
 * The replies Slack shows for one user message: for a DM, our messages at the top level of the
 * channel tagged with the reply's key (the placeholder carries it); for a mention, our messages in
 * the thread it started (one mention, one thread).
 */
export const repliesShownFor = (
  all: StubMessage[],
  message: { kind: 'dm' | 'mention'; channel: string; ts: string },
): StubMessage[] => {
  const place = replyPlace(message);
  if (place.threadTs)
    return all.filter((m) => m.channel === message.channel && m.threadTs === place.threadTs);
  const key = `${place.conversation}#${message.ts}`;
  return all.filter(
    (m) =>
      m.channel === message.channel && m.threadTs === null && m.metadata?.event_payload?.reply_key === key,
  );
};

/**
 * The sent messages that are in the store (by stream and message id) and those of them whose
 * reply is not shown exactly once and finished.
 */
export const replyProblems = async (
  pool: pg.Pool,
  all: () => StubMessage[],
  sent: readonly { kind: 'dm' | 'mention'; channel: string; ts: string }[],
) => {
  const stored = new Set((await storedUserMessages(pool)).map((s) => `${s.streamId}/${s.messageId}`));
  const answered = sent.filter((m) => stored.has(storedId(m)));
  const shown = all();
  const problems = answered
    .map((m) => ({ m, replies: repliesShownFor(shown, m) }))
    .filter(
      ({ replies }) => replies.length !== 1 || unfinished(replies[0]!) || replies[0]!.text.trim() === '',
    )
    .map(({ m, replies }) => ({
      kind: m.kind,
      ts: m.ts,
      shown: replies.map((s) => ({ text: s.text.slice(0, 40), streaming: s.streaming })),
    }));
  return { answered, problems };
};

/** The id a sent message has in the store: its conversation's stream and its ts. */
export const storedId = (m: { kind: 'dm' | 'mention'; channel: string; ts: string }) =>
  `${dialogueStreamId(replyPlace(m).conversation)}/${m.ts}`;
