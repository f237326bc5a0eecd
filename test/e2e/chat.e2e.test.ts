import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { childEnv, cliPath, runCli } from '../helpers/process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `salesai chat` with `input` piped to stdin, to completion. */
const chat = (input: string, env: Record<string, string>, args: string[] = [], timeoutMs = 90_000) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'chat', ...args], { env: childEnv(env), cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });

describe('salesai chat and seed-knowledge (whole process, piped stdin)', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  const env = { DATABASE_URL: inject('postgresUrl'), DATABASE_SCHEMA: schema };

  afterAll(async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('answers a Japanese question with cited advice and exits 0 at the end of input', async () => {
    const result = await chat('価格が高いと言われました。どう返せばいいですか？\n', env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^コーチ> 価格/);
    expect(result.stdout).toContain('*次の一手*');
    expect(result.stdout).toMatch(/「[^」]+」 \[1\]/);
    expect(result.stdout).toMatch(/参考：\n\[1\] 価格反論/);
  });

  it('runs a roleplay to its scorecard, in the same conversation', async () => {
    const result = await chat(
      [
        '/roleplay 価格に厳しい購買担当',
        'はじめまして。本日はお時間をいただきありがとうございます。',
        '現在、見積もり作成に月何時間ほどかかっていますか？',
        '/end',
        '',
      ].join('\n'),
      env,
      ['--user', 'U2CERLKJA'],
    );
    expect(result.code).toBe(0);
    const turns = result.stdout.split('\n').filter((l) => /^(相手|コーチ)> /.test(l));
    expect(turns.map((l) => l.slice(0, 4))).toEqual(['相手> ', '相手> ', '相手> ', 'コーチ>']);
    expect(result.stdout).toContain('*ロールプレイ終了：スコアカード*（相手：価格に厳しい購買担当）');
    expect(result.stdout).toMatch(/ヒアリング：[★☆]{5} \d\/5/);
  });

  it('has --help', async () => {
    const result = await runCli(['chat', '--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('/roleplay');
    expect(result.stdout).toContain('--user');
  });

  it('seed-knowledge reports nothing to publish when the knowledge base is up to date', async () => {
    // The chat above seeded the starter set on its first start.
    const result = await runCli(['seed-knowledge'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^published\s+0$/m);
    expect(result.stdout).toMatch(/^unchanged\s+\d{2}$/m);
    const missing = await runCli(['seed-knowledge', 'no/such/dir'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/seed-knowledge failed: .*no\/such\/dir/);
  });
});
