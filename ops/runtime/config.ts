import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
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
 * encrypted with keys derived from it stays readable across restarts.
 */
export const resolveSecretKey = async (env: Env): Promise<string> => {
  const existing = await existingSecretKey(env);
  if (existing) return existing.secret;
  const file = secretKeyFile(env);
  const { randomBytes } = await import('node:crypto');
  const key = randomBytes(32).toString('hex');
  await mkdir(env.DATA_DIR, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return key;
};
