import type { Cache } from './port.ts';
import { defineScript, type RedisHandle } from './redis-client.ts';

export type RedisCacheOptions = {
  handle: RedisHandle;
  /** Namespace of every key, so one Redis can serve several deployments (and test runs). */
  prefix?: string;
};

// Generations are not counters from 0: with `maxmemory-policy allkeys-lru` (the seed's and
// docker-compose's setting) Redis may evict a generation key, and a counter restarting at 0 would
// bring back entries written under the old numbers. A scope without a generation starts at the
// server's clock in microseconds, above any number it had before (that would take more than one
// bump per microsecond since it started); bumps then count up by one.
const startAtNow = `
local t = redis.call('TIME')
local now = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]))
redis.call('SET', KEYS[1], now)
return now
`;

const generationLua = `
local current = redis.call('GET', KEYS[1])
if current then return current end
${startAtNow}`;

const bumpLua = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end
${startAtNow}`;

export const createRedisCache = ({ handle, prefix = 'salesai:cache:' }: RedisCacheOptions): Cache => {
  const generationScript = defineScript(handle.client, 'salesaiCacheGeneration', generationLua, 1);
  const bumpScript = defineScript(handle.client, 'salesaiCacheBump', bumpLua, 1);
  const dataKey = (key: string) => `${prefix}${key}`;
  const generationKey = (scope: string) => `${prefix}gen:${scope}`;

  return {
    kind: 'redis',
    get: (key) => handle.run(async (r) => (await r.get(dataKey(key))) ?? undefined),
    mget: (keys) =>
      keys.length === 0
        ? Promise.resolve([])
        : handle.run(async (r) => (await r.mget(keys.map(dataKey))).map((v) => v ?? undefined)),
    set: (key, value, ttlSeconds) =>
      handle.run(async (r) => {
        await r.set(dataKey(key), value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
      }),
    del: (keys) =>
      keys.length === 0
        ? Promise.resolve()
        : handle.run(async (r) => {
            await r.del(...keys.map(dataKey));
          }),
    generation: (scope) => handle.run(async () => Number(await generationScript([generationKey(scope)]))),
    bump: (scope) => handle.run(async () => Number(await bumpScript([generationKey(scope)]))),
    ping: () =>
      handle.run(async (r) => {
        await r.ping();
      }),
    // The connection belongs to whoever opened the handle (it is shared with the rate limiter).
    close: async () => {},
  };
};
