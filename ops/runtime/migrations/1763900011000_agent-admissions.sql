-- Up Migration

-- The per-rep limit on messages that reach the LLM (AGENT_REP_MESSAGES_PER_MINUTE), shared by
-- every agent process: one row per judged message, kept only for a few minutes. A message judged
-- again (after a takeover) gets the decision already taken.
CREATE TABLE agent_admissions (
  user_id     text NOT NULL,
  message_key text NOT NULL,
  sent_at     timestamptz NOT NULL,
  admitted    boolean NOT NULL,
  PRIMARY KEY (user_id, message_key)
);
CREATE INDEX agent_admissions_by_time ON agent_admissions (user_id, sent_at);

-- Down Migration

DROP TABLE agent_admissions;
