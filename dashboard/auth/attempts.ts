/**
 * Failed sign-ins per client address, in a fixed window. Keys made by the CLI carry 256 random
 * bits and cannot be guessed, but API_KEYS secrets are chosen by people; this keeps guessing
 * slow. It is per process (a few processes multiply the allowance, which stays small).
 */
export type AttemptLimiterOptions = {
  maxFailures?: number;
  windowMs?: number;
  maxTracked?: number;
  now?: () => number;
};

export const createAttemptLimiter = ({
  maxFailures = 10,
  windowMs = 10 * 60_000,
  maxTracked = 10_000,
  now = Date.now,
}: AttemptLimiterOptions = {}) => {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const current = (client: string) => {
    const entry = failures.get(client);
    if (entry && entry.resetAt <= now()) {
      failures.delete(client);
      return undefined;
    }
    return entry;
  };
  return {
    /** Seconds until this client may try again; 0 when it may now. */
    blockedFor: (client: string): number => {
      const entry = current(client);
      return entry && entry.count >= maxFailures ? Math.ceil((entry.resetAt - now()) / 1000) : 0;
    },
    fail: (client: string) => {
      const entry = current(client) ?? { count: 0, resetAt: now() + windowMs };
      entry.count++;
      failures.delete(client);
      failures.set(client, entry);
      // The oldest entries go first when too many clients are tracked.
      while (failures.size > maxTracked) {
        const oldest = failures.keys().next();
        if (oldest.done) break;
        failures.delete(oldest.value);
      }
    },
  };
};

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>;
