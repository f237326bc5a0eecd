import type { SalesEvent } from '../../schemas/events/index.ts';
import type { ApplyContext, PositionedEvent } from '../projection.ts';
import type { DialogueTable } from './ddl.ts';

type Context = Omit<ApplyContext<DialogueTable>, 'position'>;
type Of<T extends SalesEvent['type']> = Extract<SalesEvent, { type: T }>;

/**
 * Set-based: each kind of row is written with one statement per batch
 * (`jsonb_populate_recordset` turns a JSON array into rows of the table's type). Every
 * statement is an upsert keyed by ids from the events, so applying events twice changes nothing.
 */
const insertSessions = async (events: readonly Of<'SessionStarted'>[], { client, tables: t }: Context) => {
  if (events.length === 0) return;
  const rows = events.map(({ data: d }) => ({
    session_id: d.sessionId,
    conversation_id: d.conversation.id,
    user_id: d.userId,
    team_id: d.conversation.teamId,
    channel_id: d.conversation.channelId,
    channel_kind: d.conversation.channelKind,
    thread_ts: d.conversation.threadTs,
    mode: d.mode,
    persona: d.persona,
    started_at: d.startedAt,
    message_count: 0,
  }));
  await client.query(
    `INSERT INTO ${t.dialogue_sessions} SELECT * FROM jsonb_populate_recordset(NULL::${t.dialogue_sessions}, $1)
     ON CONFLICT (session_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
};

const insertMessages = async (events: readonly Of<'MessageReceived'>[], { client, tables: t }: Context) => {
  if (events.length === 0) return;
  const rows = events.map(({ data: d, metadata }) => ({
    session_id: d.sessionId,
    seq: d.seq,
    message_id: d.messageId,
    user_id: d.userId,
    role: d.role,
    text: d.text,
    format: d.format,
    reply_to: d.replyTo,
    citations: d.citations,
    sent_at: d.sentAt,
    event_id: metadata.eventId,
  }));
  await client.query(
    `WITH incoming AS (SELECT * FROM jsonb_populate_recordset(NULL::${t.dialogue_messages}, $1)),
     inserted AS (
       INSERT INTO ${t.dialogue_messages} SELECT * FROM incoming ON CONFLICT (session_id, seq) DO NOTHING RETURNING 1
     )
     UPDATE ${t.dialogue_sessions} s
        SET message_count = GREATEST(s.message_count, agg.max_seq + 1),
            last_message_at = GREATEST(s.last_message_at, agg.last_at)
       FROM (SELECT session_id, max(seq) AS max_seq, max(sent_at) AS last_at FROM incoming GROUP BY session_id) agg
      WHERE s.session_id = agg.session_id`,
    [JSON.stringify(rows)],
  );
};

const endSessions = async (events: readonly Of<'SessionEnded'>[], { client, tables: t }: Context) => {
  if (events.length === 0) return;
  const rows = events.map(({ data: d }) => ({
    session_id: d.sessionId,
    ended_at: d.endedAt,
    end_reason: d.reason,
  }));
  await client.query(
    `UPDATE ${t.dialogue_sessions} s SET ended_at = e.ended_at, end_reason = e.end_reason
       FROM jsonb_to_recordset($1) AS e(session_id uuid, ended_at timestamptz, end_reason text)
      WHERE s.session_id = e.session_id AND s.ended_at IS NULL`,
    [JSON.stringify(rows)],
  );
};

const upsertFeedback = async (events: readonly Of<'FeedbackGiven'>[], { client, tables: t }: Context) => {
  if (events.length === 0) return;
  // The last rating of a person for a reply wins; one row per key, as one statement may touch a row once.
  const latest = new Map<string, Of<'FeedbackGiven'>['data']>();
  for (const { data: d } of events) latest.set(`${d.sessionId}|${d.messageId}|${d.userId}`, d);
  const rows = [...latest.values()].map((d) => ({
    session_id: d.sessionId,
    message_id: d.messageId,
    user_id: d.userId,
    rating: d.rating,
    comment: d.comment,
    given_at: d.givenAt,
  }));
  await client.query(
    `INSERT INTO ${t.dialogue_feedback} SELECT * FROM jsonb_populate_recordset(NULL::${t.dialogue_feedback}, $1)
     ON CONFLICT (session_id, message_id, user_id)
     DO UPDATE SET rating = excluded.rating, comment = excluded.comment, given_at = excluded.given_at
     WHERE ${t.dialogue_feedback}.given_at <= excluded.given_at`,
    [JSON.stringify(rows)],
  );
};

/**
 * A batch in dependency order — sessions, messages, ends, feedback — which leaves the rows that
 * one-by-one application would: a session starts before its messages and ends after them.
 */
export const applyDialogueBatch = async (
  events: readonly PositionedEvent[],
  context: Context,
): Promise<void> => {
  const of = <T extends SalesEvent['type']>(type: T) =>
    events.map((e) => e.event).filter((e): e is Of<T> => e.type === type);
  await insertSessions(of('SessionStarted'), context);
  await insertMessages(of('MessageReceived'), context);
  await endSessions(of('SessionEnded'), context);
  await upsertFeedback(of('FeedbackGiven'), context);
};

export const applyDialogueEvent = (event: SalesEvent, context: Context): Promise<void> =>
  applyDialogueBatch([{ event, position: { commit: 0n, prepare: 0n } }], context);
