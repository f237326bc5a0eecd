-- Up Migration

-- The reviewer scope: analyst ⊂ reviewer (also transcripts) ⊂ ops.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('analyst', 'reviewer', 'ops'));

-- Down Migration

ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('analyst', 'ops'));
