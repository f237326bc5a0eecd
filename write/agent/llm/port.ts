import type { Rubric } from '../../../schemas/rubrics.ts';
import type { SkillKey } from '../../../schemas/skills.ts';

/** The agent talks to every model through this port: OpenAI, Anthropic, or the deterministic mock. */

export type ChatMessage = { role: 'user' | 'assistant'; content: string };

export type CoachingTask = 'reply' | 'insight' | 'roleplay' | 'roleplay_score';

export type HintDocument = {
  id: string;
  title: string;
  snippet: string;
  body?: string;
  section?: string;
  score?: number;
};

/**
 * Structured context for the mock, which cannot read a prompt. Real providers ignore it: the
 * caller puts the same information into `system` / `messages`.
 */
export type CoachingHints = {
  task: CoachingTask;
  language: 'ja' | 'en';
  /** Retrieved knowledge, best first. */
  documents: HintDocument[];
  /** Weakest first. */
  weakestSkills: SkillKey[];
  persona?: string | null;
  /** The conversation to judge (insight, roleplay_score) or to continue (roleplay); else `messages`. */
  transcript?: ChatMessage[];
  /** The rubric an insight scores (insight, roleplay_score); core v1 when absent. */
  rubric?: Pick<Rubric, 'skills'>;
};

export type ChatRequest = {
  system: string;
  messages: ChatMessage[];
  /** Defaults to the provider's configured LLM_MAX_TOKENS / LLM_TEMPERATURE. */
  maxTokens?: number;
  temperature?: number;
  /** Ask for one JSON object matching `schema`; the result's `text` is that JSON. */
  json?: { name: string; schema: Record<string, unknown> };
  signal?: AbortSignal;
  hints?: CoachingHints;
};

export type FinishReason = 'stop' | 'length' | 'other';

export type ChatResult = {
  text: string;
  model: string;
  finishReason: FinishReason;
  usage?: { inputTokens: number; outputTokens: number };
};

export type LlmProvider = 'openai' | 'anthropic' | 'mock';

export interface LlmPort {
  readonly provider: LlmProvider;
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatResult>;
  /** Text deltas; ends normally only when the model finished, otherwise throws an LlmError. */
  stream(request: ChatRequest): AsyncIterable<string>;
}

export type LlmErrorKind =
  | 'timeout'
  | 'rate_limited'
  | 'server'
  | 'auth'
  | 'bad_request'
  | 'invalid_output'
  | 'network'
  | 'aborted';

export type LlmErrorOptions = {
  retryable?: boolean;
  status?: number;
  /** What the server asked us to wait before retrying (retry-after / retry-after-ms). */
  retryAfterMs?: number;
  /** How many requests were made before giving up. */
  attempts?: number;
  cause?: unknown;
};

const retryableByDefault: Record<LlmErrorKind, boolean> = {
  timeout: true,
  rate_limited: true,
  server: true,
  network: true,
  auth: false,
  bad_request: false,
  invalid_output: false,
  aborted: false,
};

export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  attempts: number;

  constructor(kind: LlmErrorKind, message: string, options: LlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.kind = kind;
    this.retryable = options.retryable ?? retryableByDefault[kind];
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts ?? 1;
  }
}

export const isLlmError = (error: unknown, kind?: LlmErrorKind): error is LlmError =>
  error instanceof LlmError && (kind === undefined || error.kind === kind);
