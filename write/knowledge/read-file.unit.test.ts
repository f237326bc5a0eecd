import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../schemas/errors.ts';
import { makeDocx, makePdf, makePptx } from '../../test/knowledge/office-fixtures.ts';
import { parseKnowledgeFile, readKnowledgeDirectory } from './read-file.ts';

describe('knowledge files of every accepted format', () => {
  it('reads a PDF page by page, titled by its file name', async () => {
    const pdf = await makePdf([
      'Pricing\nEach seat costs 3,000 yen a month.',
      'Security\nSingle sign-on with SAML.',
    ]);
    const source = await parseKnowledgeFile(pdf, 'docs/product-sheet.pdf');
    expect(source).toMatchObject({
      documentId: 'product-sheet',
      title: 'product-sheet',
      format: 'pdf',
      language: 'en',
    });
    const pages = source.body.split('\f');
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Each seat costs 3,000 yen a month.');
    expect(pages[1]).toContain('Single sign-on with SAML.');
  });

  it('reads a Word document with its headings as Markdown headings', async () => {
    const docx = await makeDocx([
      { heading: '料金プラン', paragraphs: ['月額は1ユーザー3,000円です。', '年契約で10%割引します。'] },
      { heading: 'サポート体制', level: 2, paragraphs: ['平日9時から18時まで電話で対応します。'] },
    ]);
    const source = await parseKnowledgeFile(docx, 'docs/料金のご案内.docx');
    expect(source).toMatchObject({ title: '料金プラン', format: 'docx', language: 'ja' });
    expect(source.body).toBe(
      '# 料金プラン\n月額は1ユーザー3,000円です。\n年契約で10%割引します。\n\n## サポート体制\n平日9時から18時まで電話で対応します。',
    );
  });

  it('reads a presentation slide by slide, in order, each headed by its title placeholder', async () => {
    const pptx = await makePptx([
      { title: '導入効果', lines: ['問い合わせ対応の工数を30%削減'] },
      { title: 'Pricing', lines: ['Per seat, per month', 'Volume discounts from 100 seats'] },
    ]);
    const source = await parseKnowledgeFile(pptx, 'docs/sales-deck.pptx');
    expect(source).toMatchObject({ documentId: 'sales-deck', title: '導入効果', format: 'pptx' });
    expect(source.body.split('\f')).toEqual([
      '## 導入効果\n問い合わせ対応の工数を30%削減',
      '## Pricing\nPer seat, per month\nVolume discounts from 100 seats',
    ]);
  });

  it('refuses a damaged file, an unknown type and a file without text, naming the file', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['broken.pdf', new TextEncoder().encode('%PDF-1.7 not really'), /cannot read this pdf/],
      ['broken.docx', new TextEncoder().encode('not a zip'), /cannot read this docx/],
      ['broken.pptx', await makeDocx([{ heading: 'h', paragraphs: ['p'] }]), /cannot read this pptx/],
      ['sheet.xlsx', new Uint8Array([1, 2, 3]), /unsupported file type/],
      ['blank.pdf', await makePdf(['']), /no text/],
      ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), /not UTF-8/],
    ];
    for (const [name, bytes, problem] of cases) {
      const error = await parseKnowledgeFile(bytes, `docs/${name}`).catch((e: unknown) => e);
      expect(isAppError(error, 'VALIDATION'), name).toBe(true);
      expect((error as Error).message).toContain(`docs/${name}`);
      expect((error as Error).message).toMatch(problem);
    }
  });
});

describe('a knowledge directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-read-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads every readable file, reports each unreadable one by name, ignores other files', async () => {
    await writeFile(path.join(dir, 'a-note.md'), '# メモ\n本文');
    await writeFile(path.join(dir, 'b-deck.pptx'), await makePptx([{ title: 'T', lines: ['line one'] }]));
    await writeFile(path.join(dir, 'c-broken.docx'), 'not a zip');
    await writeFile(path.join(dir, 'c-broken.md'), '---\ntitle: [unclosed\n---\n');
    await writeFile(path.join(dir, 'd-readme.json'), '{}');
    const { sources, failures } = await readKnowledgeDirectory(dir);
    expect(sources.map((s) => s.documentId)).toEqual(['a-note', 'b-deck']);
    expect(failures.map((f) => path.basename(f.sourcePath))).toEqual(['c-broken.docx', 'c-broken.md']);
  });
});
