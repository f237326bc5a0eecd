-- Up Migration

-- The weekly digest's claims: one row per rep and ISO week, taken before the DM is posted, so
-- that with several processes only one sends each digest, and one that dies between its claim
-- and the end is taken over (after its lease) without a second DM: the row remembers where the
-- message went once posted, and the message carries the claim in its metadata for the case
-- where the process died before the row did.
CREATE TABLE weekly_digest_claims (
  user_id      text NOT NULL,
  week         text NOT NULL,
  state        text NOT NULL CHECK (state IN ('claimed', 'posted', 'recorded', 'skipped')),
  owner        text NOT NULL,
  lease_until  timestamptz NOT NULL,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  channel_id   text,
  message_ts   text,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, week)
);

-- Down Migration

DROP TABLE weekly_digest_claims;
