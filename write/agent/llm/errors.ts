import { LlmError, type LlmErrorKind } from './port.ts';

/**
 * Both SDKs share one error family (APIError with status and headers, connection, timeout and
 * user-abort subclasses); each provider passes its own classes so one mapping serves both.
 */
type ErrorClass = abstract new (...args: never[]) => Error;

export type SdkErrorClasses = {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
};

export const kindForStatus = (status: number): LlmErrorKind => {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'bad_request';
};

/** `retry-after-ms` (OpenAI, Anthropic) wins over `retry-after` (seconds or an HTTP date). */
export const parseRetryAfter = (headers: Headers | undefined, now = Date.now()): number | undefined => {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

// undici reports a connection cut mid-body as TypeError('terminated'); sockets as ECONN*/EPIPE.
const networkMessage =
  /terminated|fetch failed|socket|other side closed|network|ECONNRESET|ECONNREFUSED|EPIPE/i;

const looksLikeNetwork = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(code))
      return true;
    if (networkMessage.test(e.message)) return true;
  }
  return false;
};

// A plain boolean, not a type guard: the classes are all `Error` to TypeScript, so narrowing would leave `never`.
const is = (error: Error, cls: ErrorClass): boolean => error instanceof cls;

const statusOf = (error: Error): number | undefined => {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
};

const headersOf = (error: Error): Headers | undefined => {
  const headers = (error as { headers?: unknown }).headers;
  return headers instanceof Headers ? headers : undefined;
};

/** Maps whatever an SDK call threw to an LlmError; timeouts and caller aborts are decided by the caller's scope. */
export const toLlmError = (error: unknown, sdk: SdkErrorClasses, provider: string): LlmError => {
  if (error instanceof LlmError) return error;
  if (!(error instanceof Error))
    return new LlmError('server', `${provider}: ${String(error)}`, { cause: error });
  if (is(error, sdk.APIConnectionTimeoutError))
    return new LlmError('timeout', `${provider}: request timed out`, { cause: error });
  if (is(error, sdk.APIUserAbortError))
    return new LlmError('aborted', `${provider}: request aborted`, { cause: error });
  if (is(error, sdk.APIConnectionError))
    return new LlmError('network', `${provider}: connection failed: ${error.message}`, { cause: error });
  if (is(error, sdk.APIError)) {
    const status = statusOf(error);
    // An error event inside a stream has no status: the server gave up mid-answer.
    const kind = status === undefined ? 'server' : kindForStatus(status);
    const headers = headersOf(error);
    // Both APIs may say explicitly whether a retry makes sense; their SDKs obey it, so do we.
    const shouldRetry = headers?.get('x-should-retry');
    return new LlmError(kind, `${provider}: ${error.message}`, {
      status,
      retryAfterMs: parseRetryAfter(headers),
      ...(shouldRetry === 'true' || shouldRetry === 'false' ? { retryable: shouldRetry === 'true' } : {}),
      cause: error,
    });
  }
  if (error instanceof SyntaxError)
    return new LlmError('server', `${provider}: malformed response body: ${error.message}`, { cause: error });
  if (looksLikeNetwork(error))
    return new LlmError('network', `${provider}: connection lost: ${error.message}`, { cause: error });
  // Most likely a bug on our side: not worth retrying.
  return new LlmError('server', `${provider}: ${error.message}`, { retryable: false, cause: error });
};
