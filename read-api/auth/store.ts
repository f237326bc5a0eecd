import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ApiKeyName, type ApiKeySummary } from '../../schemas/api/api-keys.ts';
import { ApiKeyScope, type Env } from '../../schemas/config.ts';
import { AppError } from '../../schemas/errors.ts';
import { hashApiKey } from './hashing.ts';
import { generateApiKey } from './key-format.ts';

/** The functions behind `salesai api-key create|list|revoke`. */

type Queryable = Pick<pg.Pool, 'query'>;
type EnvKeys = Env['API_KEYS'];

type Row = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const columns = 'id, name, scope, prefix, created_at, last_used_at, revoked_at';

const summary = (row: Row): ApiKeySummary => ({
  name: row.name,
  scope: row.scope,
  source: 'database',
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

const uniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

export type CreatedApiKey = { key: string; summary: ApiKeySummary };

/** Creates a key and returns it: the only moment the secret exists outside the caller's hands. */
export const createApiKey = async (
  db: Queryable,
  pepper: Buffer,
  input: { name: string; scope: string },
  envKeys: EnvKeys = [],
): Promise<CreatedApiKey> => {
  const name = ApiKeyName.safeParse(input.name);
  if (!name.success) throw new AppError('VALIDATION', `name: ${name.error.issues[0]?.message}`);
  const scope = ApiKeyScope.safeParse(input.scope);
  if (!scope.success) throw new AppError('VALIDATION', 'scope: expected analyst, reviewer or ops');
  if (envKeys.some((k) => k.name === name.data)) {
    throw new AppError('CONFLICT', `the name ${name.data} is taken by a key from API_KEYS`);
  }
  // A prefix collision (48 random bits) is next to impossible; try again rather than fail.
  for (let attempt = 0; ; attempt += 1) {
    const { key, prefix } = generateApiKey();
    try {
      const { rows } = await db.query<Row>(
        `INSERT INTO api_keys (id, name, scope, prefix, hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
        [randomUUID(), name.data, scope.data, prefix, hashApiKey(pepper, key)],
      );
      return { key, summary: summary(rows[0]!) };
    } catch (error) {
      if (uniqueViolation(error, 'api_keys_live_name')) {
        throw new AppError(
          'CONFLICT',
          `a live key named ${name.data} exists: revoke it first, or give the new key another name`,
        );
      }
      if (uniqueViolation(error, 'api_keys_prefix_key') && attempt < 3) continue;
      throw error;
    }
  }
};

/** Every key, newest first, and the API_KEYS ones (by name and scope only). */
export const listApiKeys = async (db: Queryable, envKeys: EnvKeys = []): Promise<ApiKeySummary[]> => {
  const { rows } = await db.query<Row>(`SELECT ${columns} FROM api_keys ORDER BY created_at DESC, name`);
  return [
    ...envKeys.map(
      (k): ApiKeySummary => ({
        name: k.name,
        scope: k.scope,
        source: 'environment',
        prefix: null,
        createdAt: null,
        lastUsedAt: null,
        revokedAt: null,
      }),
    ),
    ...rows.map(summary),
  ];
};

/**
 * Revokes the live key with this name or prefix (a whole key works too: its prefix is used).
 * Processes that verified it recently keep accepting it until their verification cache entry
 * ends (read-api/auth/verifier.ts: 30 s by default).
 */
export const revokeApiKey = async (
  db: Queryable,
  nameOrPrefix: string,
  envKeys: EnvKeys = [],
): Promise<ApiKeySummary[]> => {
  const target = /^sk_([0-9a-f]{12})(_|$)/.exec(nameOrPrefix)?.[1] ?? nameOrPrefix;
  const { rows } = await db.query<Row>(
    `UPDATE api_keys SET revoked_at = now()
      WHERE revoked_at IS NULL AND (name = $1 OR prefix = $1)
      RETURNING ${columns}`,
    [target],
  );
  if (rows.length > 0) return rows.map(summary);
  if (envKeys.some((k) => k.name === target)) {
    throw new AppError(
      'CONFLICT',
      `${target} comes from API_KEYS: remove it from the environment and restart to revoke it`,
    );
  }
  throw new AppError('NOT_FOUND', `no live key with the name or prefix ${target}`);
};

/** The live key with this prefix, with its hash, for verification. */
export const findLiveApiKey = async (db: Queryable, prefix: string) => {
  const { rows } = await db.query<Row & { hash: Buffer }>(
    `SELECT ${columns}, hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
    [prefix],
  );
  return rows[0];
};

/** Records use; the verifier calls it at most once a minute per key, never on the request's path. */
export const touchApiKey = async (db: Queryable, id: string): Promise<void> => {
  await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
};
