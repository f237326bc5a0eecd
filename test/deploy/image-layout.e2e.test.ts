import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { childEnv } from '../helpers/process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The final stage's `COPY <src>… <dest>` instructions (those copying from the build context). */
const contextCopies = (dockerfile: string): { sources: string[]; dest: string }[] => {
  const stages = dockerfile.replace(/\\\n/g, ' ').split(/^FROM\s/m);
  const last = stages.at(-1) ?? '';
  return last
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^COPY\s/i.test(line) && !/--from=/i.test(line))
    .map((line) => {
      const words = line
        .split(/\s+/)
        .slice(1)
        .filter((w) => !w.startsWith('--'));
      return { sources: words.slice(0, -1), dest: words.at(-1)! };
    });
};

/** `.dockerignore` as Docker reads it: globs (`*`, `**`), later `!` lines re-include. */
const ignoredBy = (dockerignore: string) => {
  const rules = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const glob = (negated ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const source = glob
        .split('**/')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('(?:.*/)?');
      return { negated, pattern: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (relative: string) => {
    let ignored = false;
    for (const rule of rules) if (rule.pattern.test(relative)) ignored = !rule.negated;
    return ignored;
  };
};

describe('the Docker image layout (no Docker needed)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'salesai-image-'));
  const schema = `image_${randomBytes(4).toString('hex')}`;
  let child: ReturnType<typeof spawn> | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    const db = new pg.Pool({ connectionString: inject('postgresUrl'), max: 1 });
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from exactly the files the Dockerfile copies, and serves the API and the dashboard', async () => {
    const copies = contextCopies(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
    expect(copies.length).toBeGreaterThan(3);
    const ignored = ignoredBy(readFileSync(path.join(root, '.dockerignore'), 'utf8'));
    for (const { sources, dest } of copies) {
      for (const source of sources) {
        expect(existsSync(path.join(root, source)), `${source} (in a COPY) exists`).toBe(true);
        const target =
          dest.endsWith('/') || sources.length > 1
            ? path.join(dir, dest, path.basename(source))
            : path.join(dir, dest);
        cpSync(path.join(root, source), target, {
          recursive: true,
          filter: (from) => !ignored(path.relative(root, from).split(path.sep).join('/')),
        });
      }
    }
    expect(statSync(path.join(dir, 'ops/bin/salesai.js')).isFile()).toBe(true);
    expect(existsSync(path.join(dir, 'test'))).toBe(false);
    // The deps stage's node_modules (production dependencies): the project's own stands in for it.
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

    let output = '';
    child = spawn(process.execPath, ['ops/bin/salesai.js', 'serve'], {
      cwd: dir,
      env: childEnv({
        PORT: '0',
        DATABASE_URL: inject('postgresUrl'),
        DATABASE_SCHEMA: schema,
        DATA_DIR: path.join(dir, 'data'),
        NODE_ENV: 'production',
      }),
    });
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        const match = /health:\s+(http:\/\/[^\s]+)\/api\/v1\/health/.exec(output);
        if (match) resolve(match[1]!);
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) =>
        reject(new Error(`serve exited with ${code} from the image layout:\n${output}`)),
      );
    });
    expect((await fetch(`${baseUrl}/api/v1/health`)).status).toBe(200);
    const signIn = await fetch(`${baseUrl}/dashboard/sign-in`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain('API');
    const openapi = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/sessions/{sessionId}');
  }, 120_000);
});
