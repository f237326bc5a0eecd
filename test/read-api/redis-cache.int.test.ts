import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetUser } from '../../ops/runtime/keys/forget.ts';
import { createRedisCache } from '../../projections/cache/redis.ts';
import { openRedis, type RedisHandle } from '../../projections/cache/redis-client.ts';
import { type SafeCache, safeCache } from '../../projections/cache/safe.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createDataKeys } from '../../write/crypto/data-keys.ts';
import { keyRing } from '../../write/crypto/key-ring.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { testRedisUrl } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait.ts';
import { type ReadApiHarness, startReadApi } from './harness.ts';

const redisUrl = testRedisUrl();

/**
 * The caches through a real Redis shared by two processes' worth of read API: one runs the
 * projectors, the other only serves. What the projectors commit, a rebuild swapping in, and
 * forget-user each move the other process's readers off what they had cached.
 */
describe.skipIf(!redisUrl)('Redis-backed caches across processes (real Redis, real projectors)', () => {
  const prefix = `test:${randomBytes(4).toString('hex')}:`;
  let db: TestDatabase;
  const handles: RedisHandle[] = [];
  const caches: SafeCache[] = [];
  let projector: ReadApiHarness;
  let reader: ReadApiHarness;

  const redisCache = async () => {
    const handle = openRedis({ url: redisUrl!, maxInFlight: 8 });
    handles.push(handle);
    await handle.ready(5000);
    const cache = safeCache(createRedisCache({ handle, prefix }), { logger: silentLogger });
    caches.push(cache);
    return cache;
  };
  const keysInRedis = async () => (await handles[0]!.client.keys(`${prefix}*`)).length;

  beforeAll(async () => {
    db = await createTestDatabase({ max: 12 });
    projector = await startReadApi(db, { cache: await redisCache() });
    reader = await startReadApi(db, { cache: await redisCache(), projectors: false });
    await appendGenerated(
      projector.store,
      generateDialogues({ users: 2, sessionsPerUser: 2, exchangesPerSession: 2 }),
    );
    await projector.caughtUp();
  });
  afterAll(async () => {
    await reader?.close();
    await projector?.close();
    const keys = await handles[0]?.client.keys(`${prefix}*`);
    if (keys?.length) await handles[0]!.client.del(...keys);
    for (const cache of caches) await cache.close();
    for (const handle of handles) await handle.close();
    await db?.drop();
  });

  it('a projection commit in one process invalidates what another cached', async () => {
    const path = '/api/v1/users/U00001005/sessions?limit=50';
    // Not yet a rep: an empty page, cached in Redis by the reading process.
    expect((await reader.get(path)).status).toBe(404);
    expect(await keysInRedis()).toBeGreaterThan(0);
    const hits = reader.cache.stats().hits;
    expect((await reader.get(path)).status).toBe(404);
    expect(reader.cache.stats().hits).toBeGreaterThan(hits);

    // Their first session, projected and committed by the other process.
    await appendGenerated(
      projector.store,
      generateDialogues({ users: 1, firstUser: 5, sessionsPerUser: 1, exchangesPerSession: 1 }),
    );
    await projector.caughtUp();
    const after = await reader.get(path);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it("a rebuild swapping in moves every user's readers to a new generation", async () => {
    const scope = 'user:U00001001';
    const generation = (await reader.cache.generation(scope)) ?? 0;
    const live = (await findGeneration(db.pool, 'dialogue', 'live'))!.generation;
    await requestRebuild(db.pool, 'dialogue', 'test');
    await waitFor(
      async () => ((await findGeneration(db.pool, 'dialogue', 'live'))?.generation ?? 0) > live,
      60_000,
    );
    await waitFor(async () => ((await reader.cache.generation(scope)) ?? 0) > generation, 30_000);
    const page = (await (await reader.get('/api/v1/users/U00001001/sessions')).json()) as {
      items: unknown[];
    };
    expect(page.items).toHaveLength(2);
  });

  it("forget-user (its own process's cache) bumps the user's scope for every reader", async () => {
    const scope = 'user:U00001000';
    await reader.get('/api/v1/users/U00001000/history');
    const generation = (await reader.cache.generation(scope)) ?? 0;
    const cli = await redisCache();
    await forgetUser(
      {
        pool: db.pool,
        store: projector.store,
        repository: postgresDataKeys(db.pool),
        dataKeys: createDataKeys(postgresDataKeys(db.pool), keyRing([{ id: 'k1', key: randomBytes(32) }])),
        cache: cli,
        ledgerFile: path.join(
          await mkdtemp(path.join(os.tmpdir(), 'salesai-ledger-')),
          'shredding-ledger.ndjson',
        ),
      },
      'U00001000',
    );
    expect((await reader.cache.generation(scope)) ?? 0).toBeGreaterThan(generation);
    // The other process's next read misses and reads Postgres again.
    const misses = reader.cache.stats().misses;
    await reader.get('/api/v1/users/U00001000/history');
    expect(reader.cache.stats().misses).toBeGreaterThan(misses);
  });
});
