import type { Cache } from './port.ts';

export type MemoryCacheOptions = {
  /** Entries kept; the least recently used go first. Also bounds the generations kept. */
  maxEntries?: number;
  now?: () => number;
};

type Entry = { value: string; expiresAt: number };

/**
 * The cache of a single process (no REDIS_URL): an LRU map with a TTL per entry. Generations
 * come from one counter, so a scope whose generation was evicted gets a value never used before
 * and can never see entries written under an earlier one.
 */
export const createMemoryCache = ({
  maxEntries = 10_000,
  now = Date.now,
}: MemoryCacheOptions = {}): Cache => {
  const entries = new Map<string, Entry>();
  const generations = new Map<string, number>();
  let counter = 0;

  const bounded = <V>(map: Map<string, V>) => {
    while (map.size > maxEntries) {
      const oldest = map.keys().next();
      if (oldest.done) break;
      map.delete(oldest.value);
    }
  };

  const read = (key: string): string | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    if (entry.expiresAt <= now()) return undefined;
    entries.set(key, entry); // most recently used last
    return entry.value;
  };

  const fresh = (scope: string) => {
    counter += 1;
    generations.delete(scope);
    generations.set(scope, counter);
    bounded(generations);
    return counter;
  };

  return {
    kind: 'memory',
    get: async (key) => read(key),
    mget: async (keys) => keys.map(read),
    set: async (key, value, ttlSeconds) => {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      bounded(entries);
    },
    del: async (keys) => {
      for (const key of keys) entries.delete(key);
    },
    generation: async (scope) => generations.get(scope) ?? fresh(scope),
    bump: async (scope) => fresh(scope),
    ping: async () => {},
    close: async () => {
      entries.clear();
      generations.clear();
    },
  };
};
