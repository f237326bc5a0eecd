-- Up Migration

-- Read API keys made with `salesai api-key create`. The secret is never stored: `hash` is
-- HMAC-SHA-256 of the whole key under a key derived from SECRET_KEY (read-api/auth/hashing.ts).
CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  name         text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
  scope        text NOT NULL CHECK (scope IN ('analyst', 'ops')),
  prefix       text NOT NULL CHECK (prefix ~ '^[0-9a-f]{12}$'),
  hash         bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  CONSTRAINT api_keys_prefix_key UNIQUE (prefix)
);

-- A name names one live key, so `api-key revoke <name>` is unambiguous; rotation creates the
-- new key under a new name. A revoked key's name may be used again.
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL;

-- Down Migration

DROP TABLE api_keys;
