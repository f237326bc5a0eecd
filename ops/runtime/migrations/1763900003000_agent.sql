-- Up Migration

-- How far each reactor of the agent has handled the event store (`agent` is the coaching
-- reactor). A position is the store's pair: the writing transaction's id and the event's
-- sequence number (EventStoreDB: commit and prepare positions).
CREATE TABLE agent_checkpoints (
  name             text PRIMARY KEY,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE agent_checkpoints;
