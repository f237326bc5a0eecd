import type { Logger } from '../../schemas/logger.ts';

export type OutageReporter = {
  failed: (error: unknown) => void;
  succeeded: () => void;
  readonly available: boolean;
};

/**
 * Logs a dependency's outage once when it starts and once when it ends, however many
 * operations fail in between: a Redis outage must not flood the log.
 */
export const outageReporter = (logger: Logger, what: string, consequence: string): OutageReporter => {
  let available = true;
  return {
    failed: (error) => {
      if (!available) return;
      available = false;
      logger.warn({ err: error }, `${what} unavailable: ${consequence}`);
    },
    succeeded: () => {
      if (available) return;
      available = true;
      logger.info(`${what} available again`);
    },
    get available() {
      return available;
    },
  };
};
