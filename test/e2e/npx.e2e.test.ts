import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

/**
 * The PATH a newcomer has: npm runs on the system's own Node (the project's pinned Node 24 is in
 * node_modules/.bin, which npm scripts and npx put first, but a plain shell does not).
 */
const systemPath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .join(path.delimiter);
const env = { PATH: systemPath, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };

describe('npx salesai from a plain shell', () => {
  it('prints no npm engine warnings, whatever the system Node', () => {
    const run = spawnSync('npx', ['--no-install', 'salesai', '--version'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.stderr).not.toMatch(/EBADENGINE|Unsupported engine/);
    expect(run.stdout.trim()).toBe(version);
    expect(run.status).toBe(0);
  });

  it('still refuses a Node older than 24 when the bin is started without npm', () => {
    const systemNode = execFileSync('node', ['--version'], { env, encoding: 'utf8' }).trim();
    const run = spawnSync('node', [path.join(root, 'ops/bin/salesai.js'), '--version'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (Number(systemNode.slice(1).split('.')[0]) < 24) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('needs Node 24 or newer');
    } else {
      expect(run.stdout.trim()).toBe(version);
    }
  });
});
