import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { parseEnv } from '../../../schemas/config.ts';
import { openDatabase, poolShares } from '../database.ts';
import { openEventStore } from '../event-store.ts';
import { openCodec } from '../keys/open-codec.ts';
import { createLogger } from '../logger.ts';
import type { BackgroundData, FromBackground, ToBackground } from './messages.ts';
import { startBackgroundWork } from './work.ts';

/**
 * The background thread of a process of the `all` role: projectors and the agent, on an event
 * loop of their own, with their own connections to the database the serving thread opened.
 * Cache bumps, counters, LLM failures and the agent's status go to the serving thread.
 */
const port = parentPort!;

/**
 * On Linux a thread has a nice value of its own (setpriority on the calling thread): this one
 * yields the CPU to the serving thread whenever both want it, so on a small machine the agent's
 * and the projectors' CPU never delays an ack. Elsewhere the call would lower the whole process.
 */
const BACKGROUND_NICE = 10;
if (process.platform === 'linux') {
  try {
    os.setPriority(0, BACKGROUND_NICE);
  } catch {
    // Not allowed here (a sandbox): the thread still runs apart, only without the lower priority.
  }
}
const post = (message: FromBackground) => port.postMessage(message);
const { databaseUrl } = workerData as BackgroundData;
const env = parseEnv({ ...process.env, DATABASE_URL: databaseUrl });
const logger = createLogger(env).child({ thread: 'background' });

const start = async () => {
  const database = await openDatabase(env, logger, { migrate: false, poolMax: poolShares(env).background });
  const store = await openEventStore(env, database, logger, {
    subscriptionFailed: (outcome) => post({ kind: 'subscriptionFailure', outcome }),
  });
  const codec = await openCodec(env, database, logger);
  const work = await startBackgroundWork(env, database, store, codec, logger, {
    cache: { bump: async (scope) => post({ kind: 'bump', scope }) },
    metrics: {
      // The serving thread reads positions and lags from the database itself.
      projectionPosition: { set: () => {} },
      projectionLag: { set: () => {} },
      deadLetters: {
        inc: (labels, value = 1) => post({ kind: 'count', metric: 'deadLetters', labels, value }),
      },
      slackErrors: { inc: (labels) => post({ kind: 'count', metric: 'slackErrors', labels, value: 1 }) },
    },
    llmFailure: (provider, reason) => post({ kind: 'llmFailure', provider, reason }),
    throttled: () => post({ kind: 'throttled' }),
  });
  const report = () => {
    post({
      kind: 'agentStatus',
      status: work.agent.status(),
      backlog: work.agent.backlog(),
      llm: work.agent.llm(),
    });
    post({
      kind: 'runners',
      states: [...work.projectors.runners].map(([name, r]) => ({
        name,
        status: r.status,
        lastError: r.lastError,
      })),
    });
  };
  const status = setInterval(report, 1000);
  report();
  port.on('message', (message: ToBackground) => {
    if (message.kind !== 'stop') return;
    clearInterval(status);
    void (async () => {
      await work.stop();
      await store.close().catch(() => {});
      await database.close();
      post({ kind: 'stopped' });
      // Ends this thread only, whatever handles a library left open.
      process.exit(0);
    })();
  });
  post({ kind: 'ready' });
};

start().catch((error: unknown) => {
  logger.error({ err: error }, 'background thread could not start');
  post({ kind: 'failed', message: (error as Error).message });
  process.exit(1);
});
