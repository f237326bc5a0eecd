import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyPattern } from '../../schemas/api/api-keys.ts';
import { isAppError } from '../../schemas/errors.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { apiKeyPepper } from './hashing.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './store.ts';
import { createApiKeyVerifier } from './verifier.ts';

const pepper = apiKeyPepper('test-secret-key-0123456789abcdef0123');
const envKeys = [{ name: 'grafana', scope: 'analyst' as const, secret: 'grafana-env-secret-123456' }];

describe('API keys in Postgres (the functions behind `salesai api-key`)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const verifier = (options: { now?: () => number; cacheTtlMs?: number } = {}) =>
    createApiKeyVerifier({ db: db.pool, pepper, envKeys, logger: silentLogger, ...options });

  it('creates sk_<prefix>_<secret> keys and stores only their hash', async () => {
    const { key, summary } = await createApiKey(db.pool, pepper, { name: 'dashboard', scope: 'analyst' });
    expect(key).toMatch(apiKeyPattern);
    expect(summary).toMatchObject({
      name: 'dashboard',
      scope: 'analyst',
      source: 'database',
      revokedAt: null,
    });
    expect(key.startsWith(`sk_${summary.prefix}_`)).toBe(true);
    const { rows } = await db.pool.query('SELECT * FROM api_keys');
    const stored = JSON.stringify(rows) + rows.map((r) => (r.hash as Buffer).toString('utf8')).join('');
    expect(stored).not.toContain(key.slice(16));
    expect((rows[0].hash as Buffer).length).toBe(32);
  });

  it('verifies a key, refuses a wrong secret with the right prefix, and records use', async () => {
    const { key } = await createApiKey(db.pool, pepper, { name: 'ci', scope: 'ops' });
    const v = verifier();
    expect(await v.verify(key)).toMatchObject({ name: 'ci', scope: 'ops', source: 'database' });
    const forged = `${key.slice(0, 16)}${'A'.repeat(43)}`;
    expect(forged).toMatch(apiKeyPattern);
    expect(await v.verify(forged)).toBeUndefined();
    expect(await v.verify('sk_nothing')).toBeUndefined();
    // A key hashed under another SECRET_KEY is not ours.
    const other = createApiKeyVerifier({
      db: db.pool,
      pepper: apiKeyPepper('another-secret-key-0123456789abcdef'),
      logger: silentLogger,
    });
    expect(await other.verify(key)).toBeUndefined();
    await expect
      .poll(
        async () =>
          (await db.pool.query(`SELECT last_used_at FROM api_keys WHERE name = 'ci'`)).rows[0].last_used_at,
      )
      .not.toBeNull();
  });

  it('accepts API_KEYS secrets as well', async () => {
    expect(await verifier().verify('grafana-env-secret-123456')).toEqual({
      id: 'env:grafana',
      name: 'grafana',
      scope: 'analyst',
      source: 'environment',
    });
    expect(await verifier().verify('grafana-env-secret-12345')).toBeUndefined();
  });

  it('rotates: old and new keys both work until the old one is revoked, which takes effect within the cache TTL', async () => {
    let clock = 1_000_000;
    const v = verifier({ now: () => clock, cacheTtlMs: 30_000 });
    const old = await createApiKey(db.pool, pepper, { name: 'etl-2025', scope: 'analyst' });
    const next = await createApiKey(db.pool, pepper, { name: 'etl-2026', scope: 'analyst' });
    expect(await v.verify(old.key)).toBeDefined();
    expect(await v.verify(next.key)).toBeDefined();

    const revoked = await revokeApiKey(db.pool, 'etl-2025');
    expect(revoked.map((k) => k.name)).toEqual(['etl-2025']);
    expect(await verifier().verify(old.key)).toBeUndefined(); // a process that had not seen it
    expect(await v.verify(old.key)).toBeDefined(); // still in this process' verification cache…
    clock += 30_001;
    expect(await v.verify(old.key)).toBeUndefined(); // …for 30 s at most
    expect(await v.verify(next.key)).toBeDefined();
  });

  it('revokes by prefix too, and says when there is nothing to revoke', async () => {
    const { key, summary } = await createApiKey(db.pool, pepper, { name: 'by-prefix', scope: 'analyst' });
    await revokeApiKey(db.pool, summary.prefix!);
    expect(await verifier().verify(key)).toBeUndefined();
    const missing = await revokeApiKey(db.pool, summary.prefix!).catch((e: unknown) => e);
    expect(isAppError(missing, 'NOT_FOUND')).toBe(true);
    const fromEnv = await revokeApiKey(db.pool, 'grafana', envKeys).catch((e: unknown) => e);
    expect(isAppError(fromEnv, 'CONFLICT')).toBe(true);
  });

  it('keeps one live key per name; a revoked name may be used again', async () => {
    await createApiKey(db.pool, pepper, { name: 'reports', scope: 'analyst' });
    const duplicate = await createApiKey(db.pool, pepper, { name: 'reports', scope: 'ops' }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(duplicate, 'CONFLICT')).toBe(true);
    await revokeApiKey(db.pool, 'reports');
    await expect(createApiKey(db.pool, pepper, { name: 'reports', scope: 'ops' })).resolves.toBeDefined();
    const clash = await createApiKey(db.pool, pepper, { name: 'grafana', scope: 'ops' }, envKeys).catch(
      (e: unknown) => e,
    );
    expect(isAppError(clash, 'CONFLICT')).toBe(true);
    const invalid = await createApiKey(db.pool, pepper, { name: 'no spaces', scope: 'ops' }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(invalid, 'VALIDATION')).toBe(true);
  });

  it('lists keys without secrets, with the API_KEYS ones', async () => {
    const keys = await listApiKeys(db.pool, envKeys);
    expect(keys[0]).toMatchObject({ name: 'grafana', source: 'environment', prefix: null });
    expect(keys.filter((k) => k.name === 'reports').map((k) => k.revokedAt === null)).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect(JSON.stringify(keys)).not.toMatch(/sk_[0-9a-f]{12}_/);
    expect(JSON.stringify(keys)).not.toContain('grafana-env-secret');
  });
});
