-- Up Migration

-- Per data subject (a Slack user id) the key that seals their free text in events and read
-- tables, wrapped (AES-256-GCM) by a key of the ENCRYPTION_KEYS ring. Unwrapped keys live in
-- process memory only. Forgetting a subject deletes the wrapped key: what it sealed is gone
-- everywhere at once (events, read tables, caches, backups made afterwards). Kept in Postgres
-- even when EventStoreDB holds the events, because a key must be deletable.
CREATE TABLE data_keys (
  subject_id   text PRIMARY KEY,
  -- A forgotten subject who writes again gets a fresh key of the next generation; older
  -- generations stay destroyed.
  generation   integer NOT NULL DEFAULT 1,
  key_id       text,
  wrapped_key  bytea,
  created_at   timestamptz NOT NULL DEFAULT now(),
  rotated_at   timestamptz,
  destroyed_at timestamptz,
  CONSTRAINT data_keys_wrapped_or_destroyed CHECK (
    (wrapped_key IS NOT NULL AND key_id IS NOT NULL AND destroyed_at IS NULL)
    OR (wrapped_key IS NULL AND key_id IS NULL AND destroyed_at IS NOT NULL)
  )
);
CREATE INDEX data_keys_key_id ON data_keys (key_id) WHERE wrapped_key IS NOT NULL;

-- Down Migration

DROP TABLE data_keys;
