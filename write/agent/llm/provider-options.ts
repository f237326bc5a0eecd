import type { GatePriority, LlmGate } from './gate.ts';
import type { ChatRequest, ChatResult, LlmError, LlmPort, LlmProvider } from './port.ts';
import {
  defaultRetryPolicy,
  type RetryOptions,
  type RetryPolicy,
  streamWithRetry,
  type Wait,
  withRetry,
} from './retry.ts';

/** What both SDK providers are built from (factory.ts fills it from the environment). */
export type ProviderOptions = {
  apiKey: string;
  /** Unset = the SDK's default endpoint. */
  baseURL?: string | undefined;
  model: string;
  temperature: number;
  maxTokens: number;
  /** complete(): the whole call, retries included; stream(): the longest silence between deltas. */
  timeoutMs: number;
  retry?: Partial<RetryPolicy> | undefined;
  /** Jitter source; tests pin it. */
  random?: (() => number) | undefined;
  /** Waits between attempts; unset = real timers. Tests record the waits instead of timing them. */
  wait?: Wait | undefined;
  /** Where the SDK's own warnings go (a pino logger fits); unset = the SDK default, the console. */
  sdkLogger?: SdkLogger | undefined;
  /** Shared by every call of the process: the bound on requests in flight and the 429 pause. */
  gate?: LlmGate | undefined;
};

type LogFn = (message: string, ...rest: unknown[]) => void;
export type SdkLogger = { error: LogFn; warn: LogFn; info: LogFn; debug: LogFn };

/**
 * The SDK's own timeout stays a little longer than ours so that our deadline is the one that
 * fires and is reported as 'timeout' with our wording.
 */
export const sdkTimeoutMs = (options: ProviderOptions) => options.timeoutMs + 1_000;

/** Insights are background work: at the gate, replies the reps wait for go first. */
export const priorityOf = (request: ChatRequest): GatePriority =>
  request.hints?.task === 'insight' ? 'background' : 'reply';

export const retryOptions = (
  options: ProviderOptions,
  request: ChatRequest,
  classify: (error: unknown) => LlmError,
): RetryOptions => ({
  policy: { ...defaultRetryPolicy, ...options.retry },
  timeoutMs: options.timeoutMs,
  signal: request.signal,
  classify,
  ...(options.random ? { random: options.random } : {}),
  ...(options.wait ? { wait: options.wait } : {}),
  ...(options.gate ? { gate: options.gate, priority: priorityOf(request) } : {}),
});

/**
 * The constructor options both SDKs take alike: our retry loop owns retries (the SDK makes
 * none), and the SDK's own timeout stays behind ours.
 */
export const sdkClientOptions = (options: ProviderOptions) => ({
  apiKey: options.apiKey,
  ...(options.baseURL ? { baseURL: options.baseURL } : {}),
  maxRetries: 0,
  timeout: sdkTimeoutMs(options),
  ...(options.sdkLogger ? { logger: options.sdkLogger } : {}),
});

/**
 * An SDK provider as the LLM port: one call (`complete`) or one stream of text deltas
 * (`deltas`) per attempt, wrapped in the shared retry loop, deadline and gate.
 */
export const sdkPort = (spec: {
  provider: LlmProvider;
  options: ProviderOptions;
  classify: (error: unknown) => LlmError;
  complete: (request: ChatRequest, signal: AbortSignal) => Promise<ChatResult>;
  deltas: (request: ChatRequest, signal: AbortSignal) => AsyncIterable<string>;
}): LlmPort => ({
  provider: spec.provider,
  model: spec.options.model,
  complete: (request) =>
    withRetry((signal) => spec.complete(request, signal), retryOptions(spec.options, request, spec.classify)),
  stream: (request) =>
    streamWithRetry(
      (signal) => spec.deltas(request, signal),
      retryOptions(spec.options, request, spec.classify),
    ),
});
