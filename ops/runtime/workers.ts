import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../../schemas/logger.ts';

/**
 * WORKERS > 1 (as the seed's gunicorn `--workers`): this primary process forks that many
 * workers, which share the HTTP port; projections and the agent still run once (their advisory
 * locks make the other workers stand by). A worker that dies is replaced; SIGTERM/SIGINT are
 * passed on and the primary exits when every worker has stopped.
 */
export const runWorkers = (count: number, logger: Logger): void => {
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('all workers stopped');
        process.exit(0);
      }
      return;
    }
    logger.warn({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping the workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, 'started the HTTP workers');
};

export const isWorkerPrimary = () => cluster.isPrimary;
