import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../schemas/config.ts';
import { resolveSecretKey } from './config.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the generated SECRET_KEY (outside production, no SECRET_KEY set)', () => {
  const dirs: string[] = [];
  const fresh = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-secret-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('is one key for callers racing to create it, and the file holds exactly that key', async () => {
    const dataDir = await fresh();
    const env = parseEnv({ DATA_DIR: dataDir });
    const keys = await Promise.all(Array.from({ length: 20 }, () => resolveSecretKey(env)));
    expect(new Set(keys).size).toBe(1);
    expect((await readFile(path.join(dataDir, 'secret.key'), 'utf8')).trim()).toBe(keys[0]);
    expect(await readdir(dataDir)).toEqual(['secret.key']);
  });

  it('is one key for processes starting at once (WORKERS > 1)', async () => {
    const dataDir = await fresh();
    const script = `import { resolveSecretKey } from ${JSON.stringify(path.join(here, 'config.ts'))};
      import { parseEnv } from ${JSON.stringify(path.join(here, '../../schemas/config.ts'))};
      process.stdout.write(await resolveSecretKey(parseEnv({ DATA_DIR: process.argv[1] })));`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, dataDir]);
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const keys = await Promise.all(Array.from({ length: 6 }, run));
    expect(new Set(keys).size).toBe(1);
    expect((await readFile(path.join(dataDir, 'secret.key'), 'utf8')).trim()).toBe(keys[0]);
  });
});
