import type { SalesEvent } from '../../schemas/events/index.ts';
import type { ApplyContext, PositionedEvent } from '../projection.ts';
import type { DialogueTable } from './ddl.ts';

type Context = Omit<ApplyContext<DialogueTable>, 'position'>;

/** Every statement is an upsert keyed by ids from the event, so applying an event twice changes nothing. */
export const applyDialogueEvent = async (
  event: SalesEvent,
  { client, tables: t }: Context,
): Promise<void> => {
  switch (event.type) {
    case 'SessionStarted': {
      const d = event.data;
      await client.query(
        `INSERT INTO ${t.dialogue_sessions}
           (session_id, conversation_id, user_id, team_id, channel_id, channel_kind, thread_ts, mode, persona, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (session_id) DO NOTHING`,
        [
          d.sessionId,
          d.conversation.id,
          d.userId,
          d.conversation.teamId,
          d.conversation.channelId,
          d.conversation.channelKind,
          d.conversation.threadTs,
          d.mode,
          d.persona,
          d.startedAt,
        ],
      );
      return;
    }
    case 'MessageReceived':
      await insertMessages([event], { client, tables: t });
      return;
    case 'SessionEnded':
      await client.query(
        `UPDATE ${t.dialogue_sessions} SET ended_at = $2, end_reason = $3 WHERE session_id = $1 AND ended_at IS NULL`,
        [event.data.sessionId, event.data.endedAt, event.data.reason],
      );
      return;
    case 'FeedbackGiven': {
      const d = event.data;
      await client.query(
        `INSERT INTO ${t.dialogue_feedback} (session_id, message_id, user_id, rating, comment, given_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (session_id, message_id, user_id)
         DO UPDATE SET rating = excluded.rating, comment = excluded.comment, given_at = excluded.given_at
         WHERE ${t.dialogue_feedback}.given_at <= excluded.given_at`,
        [d.sessionId, d.messageId, d.userId, d.rating, d.comment, d.givenAt],
      );
      return;
    }
    default:
      return;
  }
};

type MessageEvent = Extract<SalesEvent, { type: 'MessageReceived' }>;

/** Many messages in one statement; the session's counters move to the highest seq seen. */
const insertMessages = async (events: readonly MessageEvent[], { client, tables: t }: Context) => {
  if (events.length === 0) return;
  const cols = {
    session: [] as string[],
    seq: [] as number[],
    messageId: [] as string[],
    user: [] as string[],
    role: [] as string[],
    text: [] as string[],
    format: [] as string[],
    replyTo: [] as (string | null)[],
    citations: [] as string[],
    sentAt: [] as string[],
    eventId: [] as string[],
  };
  for (const { data: d, metadata } of events) {
    cols.session.push(d.sessionId);
    cols.seq.push(d.seq);
    cols.messageId.push(d.messageId);
    cols.user.push(d.userId);
    cols.role.push(d.role);
    cols.text.push(d.text);
    cols.format.push(d.format);
    cols.replyTo.push(d.replyTo);
    cols.citations.push(JSON.stringify(d.citations));
    cols.sentAt.push(d.sentAt);
    cols.eventId.push(metadata.eventId);
  }
  await client.query(
    `WITH incoming AS (
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::jsonb[], $10::timestamptz[], $11::uuid[])
         AS m(session_id, seq, message_id, user_id, role, text, format, reply_to, citations, sent_at, event_id)
     ), inserted AS (
       INSERT INTO ${t.dialogue_messages}
         (session_id, seq, message_id, user_id, role, text, format, reply_to, citations, sent_at, event_id)
       SELECT * FROM incoming
       ON CONFLICT (session_id, seq) DO NOTHING
       RETURNING session_id
     )
     UPDATE ${t.dialogue_sessions} s
        SET message_count = GREATEST(s.message_count, agg.max_seq + 1),
            last_message_at = GREATEST(s.last_message_at, agg.last_at)
       FROM (SELECT session_id, max(seq) AS max_seq, max(sent_at) AS last_at FROM incoming GROUP BY session_id) agg
      WHERE s.session_id = agg.session_id`,
    [
      cols.session,
      cols.seq,
      cols.messageId,
      cols.user,
      cols.role,
      cols.text,
      cols.format,
      cols.replyTo,
      cols.citations,
      cols.sentAt,
      cols.eventId,
    ],
  );
};

/**
 * A run of events at once: consecutive messages go in one statement; everything else keeps its
 * order, so the rows are those that one-by-one application would leave.
 */
export const applyDialogueBatch = async (
  events: readonly PositionedEvent[],
  context: Context,
): Promise<void> => {
  let run: MessageEvent[] = [];
  for (const { event } of events) {
    if (event.type === 'MessageReceived') {
      run.push(event);
      continue;
    }
    await insertMessages(run, context);
    run = [];
    await applyDialogueEvent(event, context);
  }
  await insertMessages(run, context);
};
