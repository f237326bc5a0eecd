import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { createMemoryCache } from './memory.ts';
import { readThrough } from './read-through.ts';
import { safeCache } from './safe.ts';

describe('readThrough', () => {
  it('loads once, then serves from the cache until the scope is bumped', async () => {
    const cache = safeCache(createMemoryCache(), { logger: silentLogger });
    let rows = { score: 1 };
    let loads = 0;
    const read = () =>
      readThrough(cache, {
        scope: 'history:U1',
        key: 'all',
        ttlSeconds: 60,
        load: async () => {
          loads += 1;
          return rows;
        },
      });
    expect(await read()).toEqual({ score: 1 });
    expect(await read()).toEqual({ score: 1 });
    expect(loads).toBe(1);
    rows = { score: 2 }; // the projection commits…
    await cache.bump('history:U1'); // …then bumps
    expect(await read()).toEqual({ score: 2 });
    expect(loads).toBe(2);
  });

  it('leaves a value loaded during a commit in the generation nobody reads any more', async () => {
    const cache = safeCache(createMemoryCache(), { logger: silentLogger });
    let rows = { score: 1 };
    const slowRead = readThrough(cache, {
      scope: 'history:U1',
      key: 'all',
      ttlSeconds: 60,
      load: async () => {
        const seen = rows; // read before the commit
        rows = { score: 2 }; // the projection commits…
        await cache.bump('history:U1'); // …and bumps while this reader is still busy
        return seen;
      },
    });
    expect(await slowRead).toEqual({ score: 1 });
    const next = await readThrough(cache, {
      scope: 'history:U1',
      key: 'all',
      ttlSeconds: 60,
      load: async () => rows,
    });
    expect(next).toEqual({ score: 2 });
  });

  it('rejects a cached value its parser refuses, and reads Postgres instead', async () => {
    const cache = safeCache(createMemoryCache(), { logger: silentLogger });
    const generation = (await cache.generation('s'))!;
    await cache.set(`s:g${generation}:k`, '{"old":true}', 60);
    const value = await readThrough(cache, {
      scope: 's',
      key: 'k',
      ttlSeconds: 60,
      load: async () => ({ fresh: true }),
      parse: (v) => {
        if (!(v as { fresh?: boolean }).fresh) throw new Error('old shape');
        return v as { fresh: boolean };
      },
    });
    expect(value).toEqual({ fresh: true });
  });
});
