import type { Env } from '../../../schemas/config.ts';
import type { Logger } from '../../../schemas/logger.ts';
import { createDataKeys, type DataKeys } from '../../../write/crypto/data-keys.ts';
import { type PersonalText, personalText } from '../../../write/crypto/personal-text.ts';
import { postgresDataKeys } from '../../../write/crypto/postgres-data-keys.ts';
import type { EventCodec } from '../../../write/event-store/codec.ts';
import { encryptingCodec } from '../../../write/event-store/encrypting-codec.ts';
import type { Database } from '../database.ts';
import { keyRingFromEnv } from './key-ring.ts';

/** The codec every reader and writer of events uses, and the opener of sealed text for serving. */
export type KeyedCodec = EventCodec & { readonly dataKeys: DataKeys; readonly personal: PersonalText };

/** Data keys live in Postgres (`data_keys`) whichever event store holds the events. */
export const openCodec = async (env: Env, database: Database, logger: Logger): Promise<KeyedCodec> => {
  const ring = await keyRingFromEnv(env);
  const dataKeys = createDataKeys(postgresDataKeys(database.pool), ring);
  logger.debug(
    { currentRingKey: ring.current.id, ringKeys: ring.keys.map((k) => k.id) },
    'encryption at rest: key ring loaded',
  );
  return { ...encryptingCodec(dataKeys), dataKeys, personal: personalText(dataKeys) };
};
