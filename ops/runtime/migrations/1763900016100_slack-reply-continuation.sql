-- Up Migration

-- A streamed reply that Slack ended before it was finished (message_not_in_streaming_state,
-- about five minutes after the stream started) is finished in a new message. Where the streamed
-- part stops (characters of the reply's text) is recorded before that message is posted, so an
-- attempt after a crash posts (or completes) the same remainder once, never the whole reply again.
ALTER TABLE slack_reply_posts ADD COLUMN continued_from integer;

-- Down Migration

ALTER TABLE slack_reply_posts DROP COLUMN continued_from;
