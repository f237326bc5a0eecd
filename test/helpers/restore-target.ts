import { createProgress } from '../../ops/backup/progress.ts';
import { silentLogger } from '../../schemas/logger.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import type { TestDatabase } from './postgres.ts';

/** The options of `restoreBackup` that name where it restores to, quietly. */
export const restoreTarget = (db: TestDatabase, store: EventStore) => ({
  store,
  pool: db.pool,
  lockConfig: db.listenConfig,
  schema: db.schema,
  logger: silentLogger,
  progress: createProgress(process.stderr, true),
});
