-- Up Migration

-- Streams: one row per stream, locked by an append so revisions stay gap-free.
-- revision -1 = created but empty.
CREATE TABLE es_streams (
  stream_id  text PRIMARY KEY,
  revision   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Events. The global order is (transaction_id, global_position): readers only take events of
-- transactions older than every transaction still running (pg_snapshot_xmin), so an event that
-- commits late can never fall behind a subscriber's checkpoint.
CREATE TABLE es_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid NOT NULL,
  stream_id       text NOT NULL,
  stream_revision bigint NOT NULL,
  type            text NOT NULL,
  version         integer NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT es_events_event_id_key UNIQUE (event_id),
  CONSTRAINT es_events_stream_revision_key UNIQUE (stream_id, stream_revision)
);

CREATE INDEX es_events_global_order ON es_events (transaction_id, global_position);

-- One round trip per append: lock the stream, recognise a repeated append by its event ids,
-- check the expected revision, insert in order, bump the revision. Subscribers are woken by a
-- NOTIFY sent after the commit (store.ts): a NOTIFY inside the append would serialise all commits.
CREATE FUNCTION es_append(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (next_revision bigint, commit_position xid8, prepare_position bigint, duplicate boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_current   bigint;
  v_ids       uuid[];
  v_count     integer;
  v_found     integer;
  v_elsewhere boolean;
  v_last      bigint;
BEGIN
  v_ids := ARRAY(SELECT (x ->> 'id')::uuid FROM jsonb_array_elements(p_events) x);
  v_count := cardinality(v_ids);

  INSERT INTO es_streams (stream_id, revision) VALUES (p_stream, -1) ON CONFLICT (stream_id) DO NOTHING;
  SELECT s.revision INTO v_current FROM es_streams s WHERE s.stream_id = p_stream FOR UPDATE;

  SELECT count(*), coalesce(bool_or(e.stream_id <> p_stream), false) INTO v_found, v_elsewhere
  FROM es_events e WHERE e.event_id = ANY (v_ids);
  IF v_found > 0 THEN
    IF v_found = v_count AND NOT v_elsewhere THEN
      RETURN QUERY
        SELECT e.stream_revision, e.transaction_id, e.global_position, true
        FROM es_events e WHERE e.event_id = ANY (v_ids)
        ORDER BY e.stream_revision DESC LIMIT 1;
      RETURN;
    END IF;
    RAISE EXCEPTION 'event ids already stored in another append' USING ERRCODE = 'SA422';
  END IF;

  IF (p_expected = 'no_stream' AND v_current <> -1)
     OR (p_expected = 'stream_exists' AND v_current = -1)
     OR (p_expected NOT IN ('any', 'no_stream', 'stream_exists') AND p_expected::bigint <> v_current) THEN
    RAISE EXCEPTION 'wrong expected revision' USING ERRCODE = 'SA409', DETAIL = v_current::text;
  END IF;

  WITH inserted AS (
    INSERT INTO es_events (event_id, stream_id, stream_revision, type, version, data, metadata)
    SELECT v_ids[x.ord], p_stream, v_current + x.ord, x.doc ->> 'type', (x.doc ->> 'version')::integer,
           x.doc -> 'data', x.doc -> 'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(doc, ord)
    ORDER BY x.ord
    RETURNING global_position
  )
  SELECT max(global_position) INTO v_last FROM inserted;

  UPDATE es_streams SET revision = v_current + v_count, updated_at = now() WHERE stream_id = p_stream;

  RETURN QUERY SELECT v_current + v_count, pg_current_xact_id(), v_last, false;
END;
$$;

-- Down Migration
DROP FUNCTION es_append(text, text, jsonb);
DROP TABLE es_events;
DROP TABLE es_streams;
