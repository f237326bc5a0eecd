import { Worker } from 'node:worker_threads';
import type { SafeCache } from '../../../projections/cache/safe.ts';
import type { RunnerState } from '../../../projections/runner/status.ts';
import type { Metrics } from '../../../read-api/metrics/metrics.ts';
import type { Logger } from '../../../schemas/logger.ts';
import type { GateFigures } from '../../../write/agent/llm/gate.ts';
import type { AgentBacklog } from '../../../write/agent/ports.ts';
import type { AgentView } from '../agent.ts';
import type { BackgroundData, FromBackground, ToBackground } from './messages.ts';

const STOP_LIMIT_MS = 20_000;
const RESTART_DELAY_MS = 1000;

export type BackgroundThreadOptions = {
  databaseUrl: string;
  logger: Logger;
  cache: Pick<SafeCache, 'bump'>;
  metrics: Pick<
    Metrics,
    'deadLetters' | 'slackErrors' | 'llmFailures' | 'agentThrottled' | 'eventStoreSubscriptionFailures'
  >;
  onLlmFailure: (reason: string) => void;
};

export type BackgroundThread = {
  /** The agent's supervisor status as last reported; null until the thread has started. */
  agentStatus: () => string | null;
  /** The agent as last reported (status, backlog, LLM gate); null until the thread has started. */
  agent: () => AgentView | null;
  /** The projection runners' states as last reported. */
  runners: () => ReadonlyMap<string, RunnerState>;
  stop: () => Promise<void>;
};

/**
 * Runs the projectors and the agent on a worker thread (./worker.ts), so that the event loop
 * that acknowledges Slack and serves HTTP never waits behind them: under a burst they fall
 * behind (visibly: the agent's backlog and lag, the projections' lag) and acks stay fast.
 * Resolves once the thread runs; a thread that dies later is started again.
 */
export const startBackgroundThread = (options: BackgroundThreadOptions): Promise<BackgroundThread> => {
  const { logger } = options;
  let status: string | null = null;
  let figures: { backlog: AgentBacklog | null; llm: GateFigures } | null = null;
  const runners = new Map<string, RunnerState>();
  let stopping = false;
  let worker: Worker;
  let restartTimer: NodeJS.Timeout | undefined;

  const handle = (message: FromBackground) => {
    switch (message.kind) {
      case 'bump':
        void options.cache.bump(message.scope);
        return;
      case 'count':
        if (message.metric === 'deadLetters') options.metrics.deadLetters.inc(message.labels, message.value);
        else options.metrics.slackErrors.inc(message.labels, message.value);
        return;
      case 'llmFailure':
        options.metrics.llmFailures.inc({ provider: message.provider, reason: message.reason });
        options.onLlmFailure(`${message.provider}: ${message.reason}`);
        return;
      case 'agentStatus':
        status = message.status;
        figures = { backlog: message.backlog, llm: message.llm };
        return;
      case 'subscriptionFailure':
        options.metrics.eventStoreSubscriptionFailures.inc({ outcome: message.outcome });
        return;
      case 'throttled':
        options.metrics.agentThrottled.inc();
        return;
      case 'runners':
        for (const { name, ...state } of message.states) runners.set(name, state);
        return;
      default:
        return;
    }
  };

  const spawn = (onStarted?: (error: Error | null) => void) => {
    const data: BackgroundData = { databaseUrl: options.databaseUrl };
    worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: data });
    worker.on('message', (message: FromBackground) => {
      if (message.kind === 'ready') onStarted?.(null);
      else if (message.kind === 'failed') onStarted?.(new Error(message.message));
      else handle(message);
    });
    worker.on('error', (error) => logger.error({ err: error }, 'background thread failed'));
    worker.on('exit', (code) => {
      status = null;
      figures = null;
      runners.clear();
      if (stopping) return;
      onStarted?.(new Error(`background thread exited with code ${code} while starting`));
      logger.error({ code }, 'background thread stopped unexpectedly; starting it again');
      restartTimer = setTimeout(() => spawn(), RESTART_DELAY_MS);
    });
  };

  const stop = async () => {
    stopping = true;
    clearTimeout(restartTimer);
    const exited = new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      if (worker.threadId === -1) resolve();
    });
    worker.postMessage({ kind: 'stop' } satisfies ToBackground);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_LIMIT_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') {
      logger.warn({ afterMs: STOP_LIMIT_MS }, 'background thread did not stop in time; terminating it');
      await worker.terminate();
    }
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    spawn((error) => {
      if (settled) return;
      settled = true;
      if (!error)
        return resolve({
          agentStatus: () => status,
          agent: () => {
            const now = figures;
            return status === null || now === null
              ? null
              : { status: () => status ?? 'stopped', backlog: () => now.backlog, llm: () => now.llm };
          },
          runners: () => runners,
          stop,
        });
      stopping = true;
      void worker.terminate();
      reject(error);
    });
  });
};
