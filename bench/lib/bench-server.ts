import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningProcess, startServe } from '../../test/helpers/process.ts';
import { testSigningSecret } from '../../test/slack/helpers/signed.ts';
import { type SlackStub, startSlackStub } from '../../test/stubs/slack-api.ts';
import type { BenchDatabase } from './database.ts';
import type { BurstLoad, LoadResult, SequentialLoad } from './slack-load.ts';

/** The server's SECRET_KEY: a bench that writes events itself seals them as the server does. */
export const benchSecretKey = 'bench-secret-key-0123456789abcdef0123456789abcdef';

const loadScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'slack-load.ts');

export type BenchServer = {
  server: RunningProcess;
  stub: SlackStub;
  close: () => Promise<void>;
};

/**
 * The whole system as `npm start` runs it (`salesai serve`, one process: HTTP, and the projectors
 * and the agent with the mock coach on its background thread), on the bench database, with Slack
 * on the local Web API stub (in this process, which measures nothing itself).
 */
export const startBenchServer = async (db: BenchDatabase): Promise<BenchServer> => {
  const stub = await startSlackStub();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-bench-data-'));
  const server = await startServe(
    {
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
      LOG_LEVEL: 'warn',
      SECRET_KEY: benchSecretKey,
    },
    [],
    180_000,
  );
  return {
    server,
    stub,
    close: async () => {
      await server.stop('SIGTERM');
      await stub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/** Runs the load generator in a process of its own and returns what it measured. */
export const runLoad = (load: BurstLoad | SequentialLoad): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loadScript, JSON.stringify(load)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult);
    });
  });

export const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
};

/** Waits until `count` replies have been shown (DM replies end with a chat.update of their placeholder). */
export const waitForReplies = async (
  stub: SlackStub,
  count: number,
  timeoutMs: number,
): Promise<number | null> => {
  const started = Date.now();
  for (;;) {
    if (stub.calls('chat.update').length >= count) return Date.now();
    if (Date.now() - started > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
};
