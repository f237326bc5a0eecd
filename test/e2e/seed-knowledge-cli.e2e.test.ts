import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import { makeDocx, makePptx } from '../knowledge/office-fixtures.ts';
import { startEmbeddingsStub } from '../stubs/openai-embeddings-stub.ts';

describe('salesai seed-knowledge and the glossary setting (whole process)', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  const env = { DATABASE_URL: inject('postgresUrl'), DATABASE_SCHEMA: schema };
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-seed-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('publishes every readable file, names the unreadable one and exits 1', async () => {
    await writeFile(path.join(dir, 'plain.md'), '# 価格の伝え方\n\n課題と効果を先に確認します。\n');
    await writeFile(path.join(dir, 'notes.txt'), 'Call the champion before the renewal.\n');
    await writeFile(
      path.join(dir, 'faq.docx'),
      await makeDocx([{ heading: 'FAQ', paragraphs: ['Q and A'] }]),
    );
    await writeFile(path.join(dir, 'deck.pptx'), await makePptx([{ title: 'Why us', lines: ['Fast'] }]));
    await writeFile(path.join(dir, 'scan.pdf'), 'this is no PDF');
    const result = await runCli(['seed-knowledge', dir], env, 120_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/published\s+4 {2}\(deck, faq, notes, plain\)/);
    expect(result.stdout).toMatch(/failed\s+1/);
    expect(result.stdout).toContain('scan.pdf: cannot read this pdf file');

    const again = await runCli(['seed-knowledge', dir], env, 120_000);
    expect(again.stdout).toMatch(/unchanged\s+4/);
  });

  it('serves hybrid search when EMBEDDINGS_PROVIDER=openai: passages embedded in the background, queries embedded', async () => {
    const stub = await startEmbeddingsStub();
    const key = 'analyst-secret-0123456789abcdef';
    const app = await startServe(
      {
        ...env,
        EMBEDDINGS_PROVIDER: 'openai',
        EMBEDDINGS_MODEL: 'stub-embedding-1',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${stub.url}/v1`,
        API_KEYS: `analyst:analyst:${key}`,
      },
      [],
      120_000,
    );
    try {
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: inject('postgresUrl') });
      await client.connect();
      try {
        await waitFor(async () => {
          const { rows } = await client
            .query(
              `SELECT count(*)::int AS n FROM ${schema}.knowledge_embeddings WHERE model = 'stub-embedding-1'`,
            )
            .catch(() => ({ rows: [{ n: 0 }] }));
          return rows[0].n > 0;
        }, 60_000);
      } finally {
        await client.end();
      }
      const response = await fetch(
        `${app.baseUrl}/api/v1/knowledge/search?q=${encodeURIComponent('renewal checklist')}`,
        {
          headers: { Authorization: `Bearer ${key}` },
        },
      );
      expect(response.status).toBe(200);
      expect(
        stub.requests.some(
          (r) => r.input === 'renewal checklist' || (r.input as string[])[0] === 'renewal checklist',
        ),
      ).toBe(true);
    } finally {
      expect(await app.stop('SIGTERM')).toBe(0);
      await stub.close();
    }
  });

  it('refuses a glossary file that cannot be used with exit code 1 and one line naming the variable', async () => {
    const file = path.join(dir, 'glossary.yaml');
    await writeFile(file, '- [only one word]\n');
    const result = await runCli(['serve'], { ...env, PORT: '0', KNOWLEDGE_GLOSSARY: file });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^KNOWLEDGE_GLOSSARY: .*glossary\.yaml/);
    const missing = await runCli(['serve'], { ...env, KNOWLEDGE_GLOSSARY: path.join(dir, 'nope.yaml') });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
