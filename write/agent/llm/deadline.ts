import { type ChatRequest, LlmError, type LlmPort } from './port.ts';

/**
 * A bound on a whole streamed answer (LLM_STREAM_TIMEOUT). The per-request timeout covers the
 * wait for the first byte; a model that then trickles, or a connection that stalls mid-stream,
 * would otherwise hold a reply (and a conversation's lane) forever. Past the deadline the
 * stream is aborted and fails with a `timeout` LlmError, not retried: the time is spent.
 */
export const withStreamDeadline = (llm: LlmPort, deadlineMs: number): LlmPort => ({
  provider: llm.provider,
  model: llm.model,
  complete: (request) => llm.complete(request),
  stream: (request: ChatRequest) => ({
    async *[Symbol.asyncIterator]() {
      const deadline = new AbortController();
      const expired = () =>
        new LlmError('timeout', `${llm.provider}: the streamed answer took over ${deadlineMs / 1000} s`, {
          retryable: false,
        });
      let timer: NodeJS.Timeout | undefined;
      const overdue = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          deadline.abort();
          reject(expired());
        }, deadlineMs);
      });
      overdue.catch(() => {});
      const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
      const iterator = llm.stream({ ...request, signal })[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await Promise.race([iterator.next(), overdue]);
          if (next.done) return;
          yield next.value;
        }
      } catch (error) {
        if (deadline.signal.aborted && !request.signal?.aborted) throw expired();
        throw error;
      } finally {
        clearTimeout(timer);
        if (!deadline.signal.aborted) deadline.abort();
        void iterator.return?.().catch(() => {});
      }
    },
  }),
});
