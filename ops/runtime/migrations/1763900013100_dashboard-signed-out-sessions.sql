-- Up Migration

-- Dashboard sessions ended on the server (sign-out): a session cookie is signed and holds no
-- state, so one that was copied before its sign-out is refused by its id until it expires.
CREATE TABLE dashboard_ended_sessions (
  session_id  text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX dashboard_ended_sessions_expires_idx ON dashboard_ended_sessions (expires_at);

-- Down Migration

DROP TABLE dashboard_ended_sessions;
