import { describe, expect, it } from 'vitest';
import { isTransient } from './transient.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('transient failures', () => {
  it('recognises a database that refuses, restarts or cuts connections', () => {
    expect(isTransient(withCode('sorry, too many clients already', '53300'))).toBe(true);
    expect(isTransient(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isTransient(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(withCode('deadlock detected', '40P01'))).toBe(true);
    expect(isTransient(new Error('append failed', { cause: withCode('x', '08006') }))).toBe(true);
  });

  it('does not take a bug or a refused command for one', () => {
    expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isTransient(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isTransient('not an error')).toBe(false);
  });
});
