import { defineScript, type RedisHandle } from '../../../projections/cache/redis-client.ts';
import type { RateLimitStore } from './store.ts';

export type RedisRateLimitStoreOptions = {
  handle: RedisHandle;
  /** Namespace of the counters (tests use their own). */
  prefix?: string;
};

// Fixed windows that start at a client's first request, as the seed's limiter (slowapi's default
// fixed-window strategy) counted. Checking every window and counting in all of them happen in one
// script, so processes sharing the Redis can never let the 101st request of a minute through.
const hitLua = `
local blocked = 0
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2 * i - 1]) then blocked = 1 end
end
local out = { blocked }
for i = 1, #KEYS do
  local count
  if blocked == 0 then
    count = redis.call('INCR', KEYS[i])
    if count == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
  else
    count = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl == -1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
    ttl = tonumber(ARGV[2 * i])
  elseif ttl < 0 then
    ttl = tonumber(ARGV[2 * i])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
`;

/** Counters shared by every process through Redis. */
export const createRedisRateLimitStore = ({
  handle,
  prefix = 'salesai:ratelimit:',
}: RedisRateLimitStoreOptions): RateLimitStore => {
  const hit = defineScript(handle.client, 'salesaiRateLimitHit', hitLua);
  return {
    kind: 'redis',
    hit: async (identity, windows) => {
      // One hash tag per identity keeps a client's counters in one slot (Redis Cluster).
      const keys = windows.map((w) => `${prefix}{${identity}}:${w.windowSeconds}`);
      const args = windows.flatMap((w) => [w.limit, w.windowSeconds * 1000]);
      const reply = (await handle.run(() => hit(keys, args))) as number[];
      return {
        allowed: reply[0] === 0,
        windows: windows.map((window, i) => ({
          ...window,
          count: Number(reply[1 + 2 * i]),
          resetMs: Number(reply[2 + 2 * i]),
        })),
      };
    },
  };
};
