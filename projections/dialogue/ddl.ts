import type { TableNames } from '../projection.ts';

export const dialogueTables = ['dialogue_sessions', 'dialogue_messages', 'dialogue_feedback'] as const;
export type DialogueTable = (typeof dialogueTables)[number];

export const dialogueDdl = (t: TableNames<DialogueTable>) => `
CREATE TABLE ${t.dialogue_sessions} (
  session_id      uuid PRIMARY KEY,
  conversation_id text NOT NULL,
  user_id         text NOT NULL,
  team_id         text NOT NULL,
  channel_id      text NOT NULL,
  channel_kind    text NOT NULL,
  thread_ts       text,
  mode            text NOT NULL,
  persona         text,
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz,
  end_reason      text,
  message_count   integer NOT NULL DEFAULT 0,
  last_message_at timestamptz
);
CREATE INDEX ${t.dialogue_sessions}_user ON ${t.dialogue_sessions} (user_id, started_at DESC, session_id DESC);

CREATE TABLE ${t.dialogue_messages} (
  session_id uuid NOT NULL,
  seq        integer NOT NULL,
  message_id text NOT NULL,
  user_id    text NOT NULL,
  role       text NOT NULL,
  text       text NOT NULL,
  format     text NOT NULL,
  reply_to   text,
  citations  jsonb NOT NULL DEFAULT '[]',
  sent_at    timestamptz NOT NULL,
  event_id   uuid NOT NULL,
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE ${t.dialogue_feedback} (
  session_id uuid NOT NULL,
  message_id text NOT NULL,
  user_id    text NOT NULL,
  rating     text NOT NULL,
  comment    text,
  given_at   timestamptz NOT NULL,
  PRIMARY KEY (session_id, message_id, user_id)
);
`;
