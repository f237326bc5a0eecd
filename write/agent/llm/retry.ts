import type { GatePriority, LlmGate } from './gate.ts';
import { LlmError } from './port.ts';

/**
 * Our own bounded retry and timeout, shared by both providers (their SDKs run with maxRetries 0),
 * so that attempts, waits and deadlines are visible and the same whichever provider is configured.
 */

export type RetryPolicy = {
  /** Requests in total, the first included. */
  maxAttempts: number;
  /** First backoff; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's retry-after is honoured up to this long. */
  maxRetryAfterMs: number;
};

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 20_000,
};

export type RetryOptions = {
  policy: RetryPolicy;
  /** complete(): deadline for the whole call, retries included. stream(): longest silence between deltas. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  classify: (error: unknown) => LlmError;
  /** Jitter source in [0, 1); injectable so that tests can pin it. */
  random?: () => number;
  /** Waits between attempts (rejects when the signal aborts); injectable so that tests need no clock. */
  wait?: Wait;
  /** The process's shared door to the provider: each attempt waits for a place in it. */
  gate?: LlmGate | undefined;
  priority?: GatePriority;
};

export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

export const backoffDelay = (
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number => {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Equal jitter: never less than half the step, so that a burst of clients still spreads out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

type Scope = {
  signal: AbortSignal;
  /** Restarts the timer (stream: after each delta). */
  arm(): void;
  /** Stops the timer (stream: while the consumer holds a delta). */
  pause(): void;
  remainingMs(): number;
  /** The timeout or caller abort that explains `cause`, if one happened. */
  interruption(cause: unknown): LlmError | undefined;
  dispose(): void;
};

const openScope = (timeoutMs: number, callerSignal: AbortSignal | undefined): Scope => {
  const controller = new AbortController();
  let reason: 'timeout' | 'aborted' | undefined;
  let timer: NodeJS.Timeout | undefined;
  let deadline = Number.POSITIVE_INFINITY;
  const stop = (why: 'timeout' | 'aborted') => {
    if (reason) return;
    reason = why;
    controller.abort(new Error(why === 'timeout' ? `timed out after ${timeoutMs} ms` : 'aborted by caller'));
  };
  const onCallerAbort = () => stop('aborted');
  if (callerSignal?.aborted) stop('aborted');
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const pause = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    pause();
    if (reason) return;
    deadline = Date.now() + timeoutMs;
    timer = setTimeout(() => stop('timeout'), timeoutMs);
  };
  arm();
  return {
    signal: controller.signal,
    arm,
    pause,
    remainingMs: () => (reason ? 0 : Math.max(0, deadline - Date.now())),
    interruption: (cause) => {
      if (reason === 'timeout')
        return new LlmError('timeout', `LLM request timed out after ${timeoutMs} ms`, { cause });
      if (reason === 'aborted')
        return new LlmError('aborted', 'LLM request aborted by the caller', { cause });
      return undefined;
    },
    dispose: () => {
      pause();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
};

const sleep: Wait = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Waits for a place at the gate (time spent waiting there is not the provider's silence, so the
 * timer stops meanwhile); resolves with the function that gives the place back.
 */
const enterGate = async (
  scope: Scope,
  gate: LlmGate,
  priority: GatePriority | undefined,
): Promise<() => void> => {
  scope.pause();
  const release = await gate.acquire(scope.signal, priority);
  scope.arm();
  return release;
};

/** A 429 stops every request of the process for the time the provider asked (or our backoff). */
const tellGate = (error: LlmError, attempt: number, options: RetryOptions) => {
  if (!options.gate || error.kind !== 'rate_limited') return;
  options.gate.pause(backoffDelay(attempt, error.retryAfterMs, options.policy, options.random));
};

const failure = (scope: Scope, options: RetryOptions, cause: unknown, attempt: number): LlmError => {
  const error = scope.interruption(cause) ?? options.classify(cause);
  error.attempts = attempt;
  return error;
};

/** Waits before the next attempt, or returns false when it must not be made. */
const waitToRetry = async (error: LlmError, attempt: number, scope: Scope, options: RetryOptions) => {
  if (!error.retryable || attempt >= options.policy.maxAttempts) return false;
  const delay = backoffDelay(attempt, error.retryAfterMs, options.policy, options.random);
  // Sleeping past the deadline would only turn a clear error into a timeout.
  if (delay >= scope.remainingMs()) return false;
  await (options.wait ?? sleep)(delay, scope.signal);
  return true;
};

export const withRetry = async <T>(
  run: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions,
): Promise<T> => {
  const scope = openScope(options.timeoutMs, options.signal);
  try {
    for (let attempt = 1; ; attempt++) {
      let release = () => {};
      try {
        if (options.gate) release = await enterGate(scope, options.gate, options.priority);
        return await run(scope.signal);
      } catch (cause) {
        release();
        const error = failure(scope, options, cause, attempt);
        tellGate(error, attempt, options);
        let again = false;
        try {
          again = await waitToRetry(error, attempt, scope, options);
        } catch (interrupted) {
          throw failure(scope, options, interrupted, attempt);
        }
        if (!again) throw error;
      } finally {
        release();
      }
    }
  } finally {
    scope.dispose();
  }
};

/**
 * Retries a stream only while nothing has reached the consumer: after the first delta a retry
 * would repeat text, so a later failure surfaces as it is.
 */
export async function* streamWithRetry(
  open: (signal: AbortSignal) => AsyncIterable<string>,
  options: RetryOptions,
): AsyncGenerator<string, void, undefined> {
  const scope = openScope(options.timeoutMs, options.signal);
  try {
    for (let attempt = 1; ; attempt++) {
      let yielded = false;
      let release = () => {};
      try {
        if (options.gate) release = await enterGate(scope, options.gate, options.priority);
        for await (const delta of open(scope.signal)) {
          if (delta === '') continue;
          yielded = true;
          // A slow consumer is not a silent provider: the timer only runs while we wait on the model.
          scope.pause();
          yield delta;
          scope.arm();
        }
        return;
      } catch (cause) {
        release();
        const error = failure(scope, options, cause, attempt);
        tellGate(error, attempt, options);
        if (yielded) throw error;
        let again = false;
        try {
          again = await waitToRetry(error, attempt, scope, options);
        } catch (interrupted) {
          throw failure(scope, options, interrupted, attempt);
        }
        if (!again) throw error;
        scope.arm();
      } finally {
        release();
      }
    }
  } finally {
    scope.dispose();
  }
}
