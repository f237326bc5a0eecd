import type { ProjectionDefinition } from '../../../projections/projection.ts';
import { eventTypes } from '../../../schemas/events/registry.ts';

/**
 * A deliberately non-idempotent projection, for tests only: it counts how many times each event
 * was applied. Any event applied twice (two owners at once, a batch replayed after its commit)
 * shows up as a count of 2.
 */
export const probeProjection: ProjectionDefinition<'probe_applied'> = {
  name: 'probe',
  version: 1,
  tables: ['probe_applied'],
  handles: eventTypes,
  ddl: (t) => `CREATE TABLE ${t.probe_applied} (event_id text PRIMARY KEY, applied integer NOT NULL)`,
  apply: async (event, { client, tables }) => {
    await client.query(
      `INSERT INTO ${tables.probe_applied} (event_id, applied) VALUES ($1, 1)
       ON CONFLICT (event_id) DO UPDATE SET applied = ${tables.probe_applied}.applied + 1`,
      [event.metadata.eventId],
    );
  },
};
