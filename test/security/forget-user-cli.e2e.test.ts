import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/process.ts';

describe('salesai forget-user', () => {
  it('refuses what is not a Slack user id, with exit code 2 and a clear line, before touching anything', async () => {
    const result = await runCli(['forget-user', 'u2cerlkja', '--yes'], {
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('forget-user: "u2cerlkja" is not a Slack user id (such as U2CERLKJA)');
  });
});
