import { describe, expect, it } from 'vitest';
import { LlmGate } from './gate.ts';
import { LlmError } from './port.ts';
import { backoffDelay, defaultRetryPolicy, type RetryOptions, streamWithRetry, withRetry } from './retry.ts';

const policy = { maxAttempts: 3, baseDelayMs: 4, maxDelayMs: 20, maxRetryAfterMs: 50 };
const options = (overrides: Partial<RetryOptions> = {}): RetryOptions => ({
  policy,
  timeoutMs: 2_000,
  classify: (e) => (e instanceof LlmError ? e : new LlmError('server', String(e), { retryable: false })),
  random: () => 0.5,
  ...overrides,
});
const failing = (kind: LlmError['kind'], extra: { retryAfterMs?: number } = {}) =>
  new LlmError(kind, kind, extra);

describe('backoffDelay', () => {
  it('doubles per attempt with equal jitter, capped', () => {
    const p = defaultRetryPolicy;
    expect(backoffDelay(1, undefined, p, () => 0)).toBe(250);
    expect(backoffDelay(1, undefined, p, () => 0.999)).toBe(500);
    expect(backoffDelay(3, undefined, p, () => 0)).toBe(1_000);
    expect(backoffDelay(10, undefined, p, () => 1)).toBe(p.maxDelayMs);
  });

  it('takes the server at its word, up to the cap', () => {
    expect(backoffDelay(1, 1_500, defaultRetryPolicy)).toBe(1_500);
    expect(backoffDelay(1, 120_000, defaultRetryPolicy)).toBe(20_000);
  });
});

describe('withRetry', () => {
  it('retries retryable failures up to max attempts, then reports the last one with the count', async () => {
    let calls = 0;
    const error = await withRetry(async () => {
      calls++;
      throw failing('rate_limited');
    }, options()).catch((e: LlmError) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ kind: 'rate_limited', attempts: 3 });
  });

  it('does not retry what cannot succeed', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw failing('auth');
      }, options()),
    ).rejects.toMatchObject({ kind: 'auth', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('succeeds after transient failures', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      if (++calls < 3) throw failing('network');
      return 'ok';
    }, options());
    expect(result).toBe('ok');
  });

  it('gives up at once when the wait would pass the deadline, with the real cause', async () => {
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw failing('rate_limited', { retryAfterMs: 40 });
      },
      options({ timeoutMs: 30 }),
    ).catch((e: LlmError) => e);
    expect(calls).toBe(1);
    expect(error.kind).toBe('rate_limited');
  });

  it('reports a deadline reached during an attempt as timeout', async () => {
    const error = await withRetry(
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      options({ timeoutMs: 20 }),
    ).catch((e: LlmError) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('reports a caller abort as aborted, without retrying', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = withRetry(
      (signal) => {
        calls++;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      options({ signal: controller.signal }),
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    expect(calls).toBe(1);
  });
});

describe('streamWithRetry', () => {
  const collect = async (iterable: AsyncIterable<string>) => {
    const out: string[] = [];
    try {
      for await (const d of iterable) out.push(d);
    } catch (error) {
      return { out, error: error as LlmError };
    }
    return { out, error: undefined };
  };

  it('retries while nothing has been yielded', async () => {
    let calls = 0;
    const { out, error } = await collect(
      streamWithRetry(async function* () {
        if (++calls === 1) throw failing('server');
        yield 'a';
        yield 'b';
      }, options()),
    );
    expect(error).toBeUndefined();
    expect(out).toEqual(['a', 'b']);
    expect(calls).toBe(2);
  });

  it('never retries once a delta reached the consumer', async () => {
    let calls = 0;
    const { out, error } = await collect(
      streamWithRetry(async function* () {
        calls++;
        yield 'a';
        throw failing('network');
      }, options()),
    );
    expect(out).toEqual(['a']);
    expect(error?.kind).toBe('network');
    expect(calls).toBe(1);
  });

  it('times out on silence between deltas, not on the total duration', async () => {
    const slowButSteady = streamWithRetry(
      async function* () {
        for (let i = 0; i < 5; i++) {
          await new Promise((r) => setTimeout(r, 30));
          yield String(i);
        }
      },
      options({ timeoutMs: 100 }),
    );
    expect((await collect(slowButSteady)).out).toHaveLength(5);

    const silent = streamWithRetry(
      async function* (signal) {
        yield 'first';
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      options({ timeoutMs: 50 }),
    );
    const { out, error } = await collect(silent);
    expect(out).toEqual(['first']);
    expect(error?.kind).toBe('timeout');
  });
});

describe('withRetry through the gate', () => {
  const manual = () => {
    let now = 0;
    const due: { at: number; fn: () => void }[] = [];
    return {
      timers: {
        now: () => now,
        after: (ms: number, fn: () => void) => {
          due.push({ at: now + ms, fn });
          return () => {};
        },
      },
      advance: (ms: number) => {
        now += ms;
        for (const e of due.splice(0)) if (e.at <= now) e.fn();
      },
    };
  };

  it("turns one call's 429 retry-after into a pause of every call, and holds a place only while sending", async () => {
    const clock = manual();
    const gate = new LlmGate({ maxInFlight: 1, timers: clock.timers });
    const told = await withRetry(
      async () => {
        throw failing('rate_limited', { retryAfterMs: 40 });
      },
      options({ gate, policy: { ...policy, maxAttempts: 1 } }),
    ).catch((e: LlmError) => e);
    expect(told).toMatchObject({ kind: 'rate_limited' });
    expect(gate.figures()).toMatchObject({ inFlight: 0, pausedForMs: 40, pauses: 1 });

    let sent = false;
    const other = withRetry(async () => {
      sent = true;
      return 'ok';
    }, options({ gate }));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(sent).toBe(false);
    clock.advance(40);
    await expect(other).resolves.toBe('ok');
    expect(gate.figures()).toMatchObject({ inFlight: 0, peakInFlight: 1 });
  });
});
