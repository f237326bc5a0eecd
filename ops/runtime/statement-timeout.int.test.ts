import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPool } from './postgres.ts';

describe('DATABASE_STATEMENT_TIMEOUT on the serving pool', () => {
  const bounded = createPool({
    url: inject('postgresUrl'),
    schema: 'public',
    max: 1,
    statementTimeoutMs: 200,
  });
  const unbounded = createPool({ url: inject('postgresUrl'), schema: 'public', max: 1 });
  afterAll(async () => {
    await Promise.all([bounded.end(), unbounded.end()]);
  });

  it('has Postgres cancel a statement that runs too long; the connection goes on serving', async () => {
    const error = (await bounded.query('SELECT pg_sleep(3)').catch((e: unknown) => e)) as { code?: string };
    expect(error.code).toBe('57014'); // query_canceled: statement timeout
    expect(
      (await bounded.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!
        .statement_timeout,
    ).toBe('200ms');
    expect((await bounded.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });

  it('leaves pools without it (the CLI: backup, restore) unlimited', async () => {
    expect(
      (await unbounded.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!
        .statement_timeout,
    ).toBe('0');
  });
});
