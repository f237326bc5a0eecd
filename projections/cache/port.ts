/**
 * A cache of committed read-model data, shared by the processes (Redis) or per process (memory).
 *
 * Never ahead of Postgres, never stale after invalidation: readers put the generation of the
 * data's scope into every key (`history:U1:g7:…`, see keys.ts) and fill the cache only from rows
 * they read from Postgres; a projection bumps the scope's generation after its transaction
 * commits. A reader that raced with a commit writes into a generation nobody reads any more.
 */
export type Cache = {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  mget(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** `ttlSeconds` may be fractional; every entry expires. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /** The scope's current generation; a scope seen for the first time gets a value never used before. */
  generation(scope: string): Promise<number>;
  /** Moves the scope to a new generation (after the projection's commit) and returns it. */
  bump(scope: string): Promise<number>;
  /** Round trip to the backing store, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
};
