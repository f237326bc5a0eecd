import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  knownDocuments,
  noneSeeded,
  pgKnowledgeDocumentIds,
  seedKnowledge,
} from '../../ops/runtime/agent/seed-knowledge.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { knowledgeStreamId } from '../../write/knowledge/decider.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { knowledgeDir } from '../knowledge/corpus.ts';
import { makePdf } from '../knowledge/office-fixtures.ts';

describe('seed-knowledge (Postgres event store)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
    dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-seed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await store.close();
    await db.drop();
  });

  it('publishes the starter knowledge base once: a second run publishes nothing', async () => {
    const deps = { store, codec: plainCodec };
    expect(await noneSeeded(store, knowledgeDir)).toBe(true);
    const first = await seedKnowledge(deps, knowledgeDir);
    expect(first.published.length).toBeGreaterThanOrEqual(20);
    expect(first.published).toContain('objection-price');
    expect(first.updated).toEqual([]);
    expect(await noneSeeded(store, knowledgeDir)).toBe(false);
    const [event] = await store.readStream(knowledgeStreamId('objection-price'));
    expect(event?.data).toMatchObject({
      documentVersion: 1,
      sourcePath: 'knowledge/objection-price.md',
    });

    const count = async () => (await db.pool.query('SELECT count(*)::int AS n FROM es_events')).rows[0].n;
    const before = await count();
    const second = await seedKnowledge(deps, knowledgeDir);
    expect(second).toEqual({
      published: [],
      updated: [],
      unchanged: first.published,
      retracted: [],
      failed: [],
    });
    expect(await count()).toBe(before);
  });

  it('publishes a changed file as a new version, retracts a removed one, brings a restored one back', async () => {
    const deps = { store, codec: plainCodec, documentIds: pgKnowledgeDocumentIds(db.pool) };
    const base = { baseDir: dir };
    const doc = (title: string, body: string) =>
      `---\ntitle: ${title}\ntags: [test]\nlanguage: ja\n---\n${body}\n`;
    await writeFile(path.join(dir, 'seed-a.md'), doc('A', '本文A'));
    await writeFile(path.join(dir, 'seed-b.md'), doc('B', '本文B'));
    expect((await seedKnowledge(deps, dir, base)).published).toEqual(['seed-a', 'seed-b']);

    await writeFile(path.join(dir, 'seed-a.md'), doc('A', '本文A（改訂）'));
    await rm(path.join(dir, 'seed-b.md'));
    expect(await seedKnowledge(deps, dir, { ...base, retractMissing: true })).toEqual({
      published: [],
      updated: ['seed-a'],
      unchanged: [],
      retracted: ['seed-b'],
      failed: [],
    });
    // Retracting is idempotent, and documents of other directories are left alone.
    const again = await seedKnowledge(deps, dir, { ...base, retractMissing: true });
    expect(again.retracted).toEqual([]);
    const known = await knownDocuments(deps);
    expect(known.find((d) => d.documentId === 'objection-price')?.live).toBe(true);
    expect(known.find((d) => d.documentId === 'seed-b')).toMatchObject({ live: false, revision: 2 });

    await cp(path.join(knowledgeDir, 'objection-price.md'), path.join(dir, 'objection-price.md'));
    await writeFile(path.join(dir, 'seed-b.md'), doc('B', '本文B'));
    const restored = await seedKnowledge(deps, dir, base);
    expect(restored.updated).toEqual(['seed-b']);
    expect(restored.unchanged).toEqual(['objection-price', 'seed-a']);
    const versions = (await store.readStream(knowledgeStreamId('seed-b'))).map((r) => r.type);
    expect(versions).toEqual([
      'KnowledgeDocumentPublished',
      'KnowledgeDocumentRetracted',
      'KnowledgeDocumentPublished',
    ]);
  });

  it('publishes plain Markdown and office files, reports an unreadable file by name and publishes the rest', async () => {
    const deps = { store, codec: plainCodec, documentIds: pgKnowledgeDocumentIds(db.pool) };
    const other = await mkdtemp(path.join(os.tmpdir(), 'salesai-seed-formats-'));
    try {
      await writeFile(path.join(other, 'plain-note.md'), '# 提案のコツ\n\n課題から話します。\n');
      await writeFile(path.join(other, 'price-sheet.pdf'), await makePdf(['Price list', 'Discount rules']));
      await writeFile(path.join(other, 'broken.docx'), 'not a zip');
      await writeFile(path.join(other, 'broken-yaml.md'), '---\ntitle: [unclosed\n---\nbody');
      const summary = await seedKnowledge(deps, other, { baseDir: os.tmpdir() });
      expect(summary.published).toEqual(['plain-note', 'price-sheet']);
      expect(summary.failed.map((f) => path.basename(f.sourcePath))).toEqual([
        'broken-yaml.md',
        'broken.docx',
      ]);
      expect(summary.failed[1]!.message).toMatch(/broken\.docx: cannot read this docx/);
      const [pdf] = await store.readStream(knowledgeStreamId('price-sheet'));
      expect(pdf?.data).toMatchObject({ format: 'pdf', body: 'Price list\fDiscount rules', language: 'en' });
      const [note] = await store.readStream(knowledgeStreamId('plain-note'));
      expect(note?.data).toMatchObject({ title: '提案のコツ', tags: [], language: 'ja', format: 'markdown' });

      // An unreadable file is still there: --retract-missing leaves its document alone.
      await writeFile(path.join(other, 'price-sheet.pdf'), 'damaged');
      const again = await seedKnowledge(deps, other, { baseDir: os.tmpdir(), retractMissing: true });
      expect(again.retracted).toEqual([]);
      expect(again.failed.map((f) => path.basename(f.sourcePath))).toContain('price-sheet.pdf');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
