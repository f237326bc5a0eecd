import { describe, expect, it } from 'vitest';
import { createMemoryCache } from './memory.ts';

describe('the in-process cache', () => {
  it('gets, sets, mgets and deletes', async () => {
    const cache = createMemoryCache();
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    expect(await cache.get('a')).toBe('1');
    expect(await cache.mget(['a', 'x', 'b'])).toEqual(['1', undefined, '2']);
    await cache.del(['a']);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    let clock = 0;
    const cache = createMemoryCache({ now: () => clock });
    await cache.set('a', '1', 1.5);
    clock = 1499;
    expect(await cache.get('a')).toBe('1');
    clock = 1500;
    expect(await cache.get('a')).toBeUndefined();
  });

  it('drops the least recently used entry beyond its size', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', '3', 60);
    expect(await cache.mget(['a', 'b', 'c'])).toEqual(['1', undefined, '3']);
  });

  it('bumps generations to values never used before, also after evicting them', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    const g1 = await cache.generation('history:U1');
    expect(await cache.generation('history:U1')).toBe(g1);
    const g2 = await cache.bump('history:U1');
    expect(g2).toBeGreaterThan(g1);
    expect(await cache.generation('history:U1')).toBe(g2);
    // Evict history:U1's generation: it must come back as a new number, not as g1 again.
    await cache.generation('history:U2');
    await cache.generation('history:U3');
    const g3 = await cache.generation('history:U1');
    expect([g1, g2]).not.toContain(g3);
  });
});
