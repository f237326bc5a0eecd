import { scopedKey } from './keys.ts';
import type { SafeCache } from './safe.ts';

export type ReadThroughOptions<T> = {
  /** Whose data it is, e.g. `history:U1`; the projection bumps this scope when the rows change. */
  scope: string;
  /** What it is within the scope (query parameters), e.g. `2024-01..2024-06`. */
  key: string;
  ttlSeconds: number;
  /** Reads Postgres: the only source a cached value ever comes from. */
  load: () => Promise<T>;
  /** Checks a cached value (a schema's `parse`); a value it rejects counts as a miss. */
  parse?: (value: unknown) => T;
};

/**
 * Cache-aside read of committed rows. The generation is read before Postgres: a value loaded
 * while a projection committed lands in the generation the projection then leaves behind, never
 * in the one readers use next. When the cache cannot answer, Postgres does.
 */
export const readThrough = async <T>(cache: SafeCache, options: ReadThroughOptions<T>): Promise<T> => {
  const generation = await cache.generation(options.scope);
  if (generation === undefined) return options.load();
  const key = scopedKey(options.scope, generation, options.key);
  const cached = await cache.get(key);
  if (cached !== undefined) {
    try {
      const value: unknown = JSON.parse(cached);
      return options.parse ? options.parse(value) : (value as T);
    } catch {
      // A value of an older shape: read Postgres and overwrite it.
    }
  }
  const value = await options.load();
  if (value !== undefined) await cache.set(key, JSON.stringify(value), options.ttlSeconds);
  return value;
};

/**
 * The same read, kept and returned as JSON text: a hit is sent as it is, without parsing and
 * serialising it again (the hot path of the read API).
 */
export const readThroughJson = async (
  cache: SafeCache,
  options: Omit<ReadThroughOptions<unknown>, 'parse'>,
): Promise<string> => {
  const generation = await cache.generation(options.scope);
  if (generation === undefined) return JSON.stringify((await options.load()) ?? null);
  const key = scopedKey(options.scope, generation, options.key);
  const cached = await cache.get(key);
  if (cached !== undefined) return cached;
  const text = JSON.stringify((await options.load()) ?? null);
  await cache.set(key, text, options.ttlSeconds);
  return text;
};
