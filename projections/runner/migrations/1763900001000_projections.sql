-- Up Migration

-- One row per generation of a projection's tables. Exactly one generation of a projection is
-- `live` (its tables are behind the logical views); a `building` one is being filled from the
-- start of the event store (blue/green rebuild); `retired` ones have had their tables dropped.
CREATE TABLE projection_generations (
  name             text NOT NULL,
  generation       integer NOT NULL,
  version          integer NOT NULL,
  state            text NOT NULL CHECK (state IN ('live', 'building', 'retired')),
  commit_position  numeric(20) NOT NULL DEFAULT 0,
  prepare_position numeric(20) NOT NULL DEFAULT 0,
  events_processed bigint NOT NULL DEFAULT 0,
  last_event_at    timestamptz,
  started_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  PRIMARY KEY (name, generation)
);
CREATE UNIQUE INDEX projection_generations_one_live ON projection_generations (name) WHERE state = 'live';
CREATE UNIQUE INDEX projection_generations_one_building ON projection_generations (name) WHERE state = 'building';

-- Rebuilds asked for by the API or the CLI, picked up by whichever process runs the projection.
CREATE TABLE projection_rebuild_requests (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  requested_by text NOT NULL,
  picked_at    timestamptz
);

-- Events a projection could not apply: the error, and the event as stored.
CREATE TABLE projection_dead_letters (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name             text NOT NULL,
  generation       integer NOT NULL,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  stream_id        text NOT NULL,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL,
  error            text NOT NULL,
  payload          jsonb NOT NULL,
  failed_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, generation, event_id)
);

-- Down Migration
DROP TABLE projection_dead_letters;
DROP TABLE projection_rebuild_requests;
DROP TABLE projection_generations;
