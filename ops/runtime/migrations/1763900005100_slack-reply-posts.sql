-- Up Migration

-- Which replies the Slack edge has begun or finished showing in Slack, so a reply that the agent
-- writes again (after a crash or a takeover) reuses the message already posted instead of
-- posting a second one. Keyed by conversation and the rep's message the reply answers.
CREATE TABLE slack_reply_posts (
  reply_key   text PRIMARY KEY,
  channel_id  text NOT NULL,
  message_ts  text,
  state       text NOT NULL CHECK (state IN ('started', 'posted')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_reply_posts_updated_idx ON slack_reply_posts (updated_at);

-- Down Migration

DROP TABLE slack_reply_posts;
