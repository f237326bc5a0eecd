/**
 * A projector process for the two-projector test: the real runners (advisory lock, checkpoint in
 * the same transaction) of every projection and of the test-only probe, in a process of its own.
 * Usage: node test/fault/probe/projector.ts <name>, with DATABASE_URL and DATABASE_SCHEMA.
 */

import { clientConfig, createPool } from '../../../ops/runtime/postgres.ts';
import { startProjectors } from '../../../ops/runtime/projectors.ts';
import { createMemoryCache } from '../../../projections/cache/memory.ts';
import { safeCache } from '../../../projections/cache/safe.ts';
import { projections } from '../../../projections/registry.ts';
import { silentLogger } from '../../../schemas/logger.ts';
import { plainCodec } from '../../../write/event-store/codec.ts';
import { createPostgresEventStore } from '../../../write/event-store/postgres/store.ts';
import { probeProjection } from './probe-projection.ts';

const name = process.argv[2] ?? 'probe';
const url = process.env.DATABASE_URL!;
const schema = process.env.DATABASE_SCHEMA!;
const applicationName = `projector-${name}`;
const pool = createPool({ url, schema, max: 6, applicationName });
const lockConfig = clientConfig({ url, schema, applicationName });
const store = createPostgresEventStore({ pool, schema, listenConfig: lockConfig });
const projectors = startProjectors({
  pool,
  lockConfig,
  store,
  codec: plainCodec,
  logger: silentLogger,
  cache: safeCache(createMemoryCache(), { logger: silentLogger }),
  definitions: [...projections, probeProjection],
  batchSize: 100,
});
process.stdout.write(`projector ${name} running\n`);
process.on('SIGTERM', () => {
  void projectors
    .stop()
    .then(() => store.close())
    .then(() => pool.end())
    .then(() => process.exit(0));
});
