import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../schemas/logger.ts';

const line = (parts: unknown[]) =>
  parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p)))
    .join(' ');

/**
 * Bolt and the Web API client log through this, into our JSON lines. Their debug output holds
 * request bodies (message text), so it goes to `trace`, below what production logs.
 */
export const slackLogger = (logger: Logger): SlackLogger => {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => logger.trace(line(msg)),
    info: (...msg: unknown[]) => logger.info(line(msg)),
    warn: (...msg: unknown[]) => logger.warn(line(msg)),
    error: (...msg: unknown[]) => logger.error(line(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
};
