import { existsSync } from 'node:fs';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type Env, parseEnv } from '../../schemas/config.ts';

/** `.env` in the working directory fills variables the environment does not set (as in the seed). */
export const loadDotEnv = (file = '.env') => {
  if (existsSync(file)) process.loadEnvFile(file);
};

/**
 * Parses the configuration or stops the process with exit code 1 and one line naming the
 * variable. Secrets are never printed.
 */
export const loadConfigOrExit = (source: Record<string, string | undefined> = process.env): Env => {
  try {
    return parseEnv(source);
  } catch (error) {
    return exitOnConfigurationError(error);
  }
};

/** Where the generated SECRET_KEY is kept when none is set. */
export const secretKeyFile = (env: Env) => path.join(env.DATA_DIR, 'secret.key');

/** The secret this environment already has (SECRET_KEY, else DATA_DIR/secret.key), never generating one. */
export const existingSecretKey = async (
  env: Env,
): Promise<{ secret: string; source: 'SECRET_KEY' | 'file' } | null> => {
  if (env.SECRET_KEY) return { secret: env.SECRET_KEY, source: 'SECRET_KEY' };
  const file = secretKeyFile(env);
  if (!existsSync(file)) return null;
  return { secret: (await readFile(file, 'utf8')).trim(), source: 'file' };
};

/** A ConfigurationError stops the process with its one line and exit code 1; anything else is rethrown. */
export const exitOnConfigurationError = (error: unknown): never => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
};

/**
 * Outside production a missing SECRET_KEY is generated once and kept in DATA_DIR, so data
 * encrypted with keys derived from it stays readable across restarts. Several processes may
 * start at once (WORKERS > 1, a CLI beside the server): the key is written to a file of its own
 * and linked into place, which succeeds for exactly one of them (exclusive, like O_EXCL, and
 * never half written); the others read the winner's key. Two different keys would leave data
 * keys wrapped under the loser unreadable.
 */
export const resolveSecretKey = async (env: Env): Promise<string> => {
  const existing = await existingSecretKey(env);
  if (existing) return existing.secret;
  const file = secretKeyFile(env);
  const { randomBytes } = await import('node:crypto');
  const key = randomBytes(32).toString('hex');
  await mkdir(env.DATA_DIR, { recursive: true });
  const candidate = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(candidate, `${key}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(candidate, 0o600);
    await link(candidate, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  } finally {
    await unlink(candidate).catch(() => {});
  }
};
