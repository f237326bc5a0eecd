import { pino } from 'pino';
import { type Env, secretVariables } from '../../schemas/config.ts';
import type { Logger } from '../../schemas/logger.ts';

/**
 * JSON lines on stdout (and a file when LOG_FILE is set). Anything that looks like a secret is
 * redacted by path: tokens, keys, passwords, authorization and cookie headers, signatures.
 */
export const redactPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  // The configuration's secret variables, wherever a log line carries them.
  ...secretVariables,
  ...secretVariables.map((v) => `*.${v}`),
];

export const createLogger = (env: Pick<Env, 'LOG_LEVEL' | 'APP_NAME' | 'LOG_FILE'>): Logger => {
  const options = {
    level: env.LOG_LEVEL,
    base: { app: env.APP_NAME, pid: process.pid },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (!env.LOG_FILE) return pino(options) as unknown as Logger;
  const streams = pino.multistream([
    { stream: process.stdout, level: env.LOG_LEVEL === 'silent' ? 'fatal' : env.LOG_LEVEL },
    {
      stream: pino.destination({ dest: env.LOG_FILE, mkdir: true, sync: false }),
      level: env.LOG_LEVEL === 'silent' ? 'fatal' : env.LOG_LEVEL,
    },
  ]);
  return pino(options, streams) as unknown as Logger;
};
