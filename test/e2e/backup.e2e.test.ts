import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { runCli } from '../helpers/process.ts';

describe('salesai backup / restore (CLI)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dataDir: string;
  const env = (db: TestDatabase) => ({
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    DATA_DIR: dataDir,
    USE_MOCK_LLM: 'true',
  });

  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-e2e-backup-'));
    const store = createPostgresEventStore({
      pool: source.pool,
      schema: source.schema,
      listenConfig: source.listenConfig,
    });
    await appendGenerated(store, generateDialogues({ users: 3, sessionsPerUser: 2, exchangesPerSession: 2 }));
    await store.close();
  });

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('backs up to DATA_DIR/backups, restores into an empty schema, refuses a second restore', async () => {
    const backup = await runCli(['backup'], env(source), 120_000);
    expect(backup.stderr).not.toMatch(/Error/);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/events: \d+ in 3 streams/);
    const [dir] = await readdir(path.join(dataDir, 'backups'));
    expect(dir).toMatch(/^salesai-backup-\d{8}T\d{6}Z$/);
    const backupDir = path.join(dataDir, 'backups', dir!);

    const restore = await runCli(['restore', backupDir], env(target), 120_000);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).not.toContain('BAD');
    expect(restore.stdout).toMatch(/ok {2}events: (\d+) \(backup: \1\)/);
    const { rows } = await target.pool.query<{ n: string }>('SELECT count(*) AS n FROM dialogue_sessions');
    expect(Number(rows[0]!.n)).toBe(6);

    const again = await runCli(['restore', backupDir], env(target), 120_000);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/restore refused: the target event store is not empty/);

    const help = await runCli(['restore', '--help'], {}, 30_000);
    expect(help.stdout).toContain('--force');
  });
});
