import type { Hono } from 'hono';
import { withOpenedPersonalText } from '../../ops/runtime/keys/open-responses.ts';
import type { Projectors } from '../../ops/runtime/projectors.ts';
import type { SafeCache } from '../../projections/cache/safe.ts';
import { projections } from '../../projections/registry.ts';
import { readModelRoutes } from '../../read-api/routes/read-models.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { createDataKeys, type DataKeys } from '../../write/crypto/data-keys.ts';
import type { KeyRing } from '../../write/crypto/key-ring.ts';
import { type PersonalText, personalText } from '../../write/crypto/personal-text.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import { encryptingCodec } from '../../write/event-store/encrypting-codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import type { GeneratedStream } from '../helpers/dialogue-events.ts';
import type { TestDatabase } from '../helpers/postgres.ts';
import { reviewerKey, startTestApi } from '../helpers/test-api.ts';

export type Keyed = { dataKeys: DataKeys; codec: EventCodec; personal: PersonalText };

/** A process' view of the keys: its own in-process cache over the shared `data_keys` table. */
export const keyed = (db: TestDatabase, ring: KeyRing): Keyed => {
  const dataKeys = createDataKeys(postgresDataKeys(db.pool), ring);
  return { dataKeys, codec: encryptingCodec(dataKeys), personal: personalText(dataKeys) };
};

export type SecurityHarness = Keyed & {
  store: EventStore;
  cache: SafeCache;
  projectors: Projectors;
  app: Hono;
  append: (
    streams: readonly GeneratedStream[] | readonly { streamId: string; events: SalesEvent[] }[],
  ) => Promise<void>;
  caughtUp: () => Promise<void>;
  get: (path: string) => Promise<Response>;
  close: () => Promise<void>;
};

/** The system as `serve` wires it: encrypting codec, projectors, read API opening sealed text. */
export const startSecured = async (db: TestDatabase, ring: KeyRing): Promise<SecurityHarness> => {
  const keys = keyed(db, ring);
  const api = await startTestApi(db, {
    codec: keys.codec,
    routes: ({ store, cache, projectors }) =>
      withOpenedPersonalText(
        readModelRoutes({ pool: db.pool, cache, store, projections, runners: () => projectors.runners }),
        keys.personal,
      ),
  });
  return {
    ...keys,
    store: api.store,
    cache: api.cache,
    projectors: api.projectors,
    app: api.app as unknown as Hono,
    append: async (streams) => {
      for (const { streamId, events } of streams)
        await api.store.append(streamId, await Promise.all(events.map((e) => keys.codec.encode(e))), 'any');
    },
    caughtUp: () => api.caughtUp(),
    // Transcripts are read: a reviewer key.
    get: (path) => api.get(path, reviewerKey),
    close: api.close,
  };
};
