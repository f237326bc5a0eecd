import OpenAI from 'openai';
import type pg from 'pg';
import { type Embedder, embedPendingPassages, useEmbedder } from '../../projections/knowledge/embeddings.ts';
import type { Env } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';

/** OpenAI embeddings (or any endpoint speaking them, via OPENAI_BASE_URL), through the real SDK. */
export const createOpenAiEmbedder = (options: {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  timeoutMs?: number;
}): Embedder => {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 2,
    timeout: options.timeoutMs ?? 30_000,
  });
  return {
    model: options.model,
    embed: async (texts) => {
      if (texts.length === 0) return [];
      const response = await client.embeddings.create({ model: options.model, input: [...texts] });
      return [...response.data].sort((a, b) => a.index - b.index).map((d) => Array.from(d.embedding));
    },
  };
};

export const embedderOf = (env: Env): Embedder | undefined =>
  env.EMBEDDINGS_PROVIDER === 'openai' && env.OPENAI_API_KEY
    ? createOpenAiEmbedder({
        apiKey: env.OPENAI_API_KEY,
        baseURL: env.OPENAI_BASE_URL,
        model: env.EMBEDDINGS_MODEL,
        timeoutMs: env.LLM_REQUEST_TIMEOUT * 1000,
      })
    : undefined;

/**
 * With an embeddings provider: searches in this process fuse semantic search with BM25F, and
 * (where projections run) new passages are embedded every `intervalMs`. Returns the stop function.
 */
export const startKnowledgeEmbeddings = (
  env: Env,
  pool: pg.Pool,
  logger: Logger,
  options: { embedNewPassages: boolean; intervalMs?: number },
): (() => Promise<void>) => {
  const embedder = embedderOf(env);
  useEmbedder(embedder);
  if (!embedder || !options.embedNewPassages) return async () => {};
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = embedPendingPassages(pool, embedder).then(
      (n) => {
        if (n > 0) logger.info({ passages: n, model: embedder.model }, 'knowledge passages embedded');
      },
      (error: unknown) =>
        logger.warn({ err: error }, 'knowledge embeddings: provider call failed; retrying later'),
    );
  };
  tick();
  const timer = setInterval(() => {
    void running.then(tick);
  }, options.intervalMs ?? 10_000);
  return async () => {
    clearInterval(timer);
    await running;
  };
};
