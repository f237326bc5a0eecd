import type pg from 'pg';
import { textsFor } from '../../slack-edge/text/messages.ts';
import { conversationId } from '../../write/dialogue/stream.ts';
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
  return rows.map((r) => ({ streamId: r.stream_id, messageId: r.message_id }));
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
