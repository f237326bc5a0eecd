/**
 * A small in-process cache of unwrapped data keys: bounded (oldest entry out first) and with a
 * TTL, so a key destroyed by another process (forget-user) stops being usable here soon after.
 * It lives in memory only; unwrapped keys are never written anywhere.
 */
export type BoundedCache<V> = {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  deleteWhere(test: (key: string) => boolean): void;
  clear(): void;
};

export const boundedCache = <V>(options: {
  max: number;
  ttlMs: number;
  now?: () => number;
}): BoundedCache<V> => {
  const { max, ttlMs, now = Date.now } = options;
  const entries = new Map<string, { value: V; expires: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expires: now() + ttlMs });
      while (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    deleteWhere(test) {
      for (const key of [...entries.keys()]) if (test(key)) entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
};
