import type { Command } from 'commander';
import { Option } from 'commander';
import { ConfigurationError } from '../../../schemas/config.ts';
import type { Logger } from '../../../schemas/logger.ts';
import { exitOnConfigurationError, loadConfigOrExit } from '../../runtime/config.ts';
import { useConfiguredGlossaryOrExit } from '../../runtime/glossary.ts';
import { createLogger } from '../../runtime/logger.ts';
import { type Role, startSystem } from '../../runtime/system.ts';
import { isWorkerPrimary, runWorkers } from '../../runtime/workers.ts';

const onShutdownSignals = (logger: Logger, stop: () => Promise<void>) => {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
};

export const registerServe = (program: Command) =>
  program
    .command('serve')
    .description('run the system: HTTP (read API, Slack, health, metrics) and the projectors')
    .addOption(
      new Option('--role <role>', 'which part this process runs')
        .choices(['all', 'api', 'slack', 'projector'])
        .default('all'),
    )
    .action(async (options: { role: Role }) => {
      const env = loadConfigOrExit();
      await useConfiguredGlossaryOrExit(env);
      const logger = createLogger(env);
      if (env.WORKERS > 1 && options.role !== 'projector' && isWorkerPrimary()) {
        // Several processes cannot each start the embedded database; with it, one process serves.
        if (env.DATABASE_URL) return runWorkers(env.WORKERS, logger);
        logger.warn(
          { workers: env.WORKERS },
          'WORKERS > 1 needs DATABASE_URL (the embedded database runs in one process); serving with one',
        );
      }
      const system = await startSystem(env, logger, options.role).catch((error: unknown) => {
        if (error instanceof ConfigurationError) exitOnConfigurationError(error);
        logger.fatal({ err: error }, `start-up failed: ${(error as Error).message}`);
        process.exit(1);
      });
      onShutdownSignals(logger, system.stop);
      const lines = [
        `${env.APP_NAME} is running (role ${options.role}, ${system.store.kind} event store${system.database.embedded ? ', embedded PostgreSQL' : ''})`,
      ];
      if (system.http) {
        const base = system.http.url;
        lines.push(
          `  health:          ${base}/api/v1/health`,
          `  detailed health: ${base}/api/v1/health/detailed`,
          `  dashboard:       ${base}/dashboard   (sign in with an API key; \`npx salesai demo\` adds demo data and a key)`,
          `  read API:        ${base}/api/v1/openapi.json`,
        );
      }
      lines.push('Press Ctrl+C to stop.');
      process.stdout.write(`${lines.join('\n')}\n`);
      logger.info({ role: options.role, url: system.http?.url }, 'started');
    });
