import { describe, expect, it } from 'vitest';
import { AppError } from '../../schemas/errors.ts';
import { knowledgeContentHash } from './content-hash.ts';
import { parseKnowledgeMarkdown } from './markdown.ts';

const file = `---
title: 価格反論「高い」への対応
tags: [反論処理, price objection, 2024]
language: ja
---

## 「高い」の本当の意味
本文です。
`;

const errorOf = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};

describe('knowledge Markdown files', () => {
  it('reads front matter, the body and the slug of the file name', () => {
    const source = parseKnowledgeMarkdown(file, 'knowledge/objection-price.md');
    expect(source).toEqual({
      documentId: 'objection-price',
      title: '価格反論「高い」への対応',
      tags: ['反論処理', 'price objection', '2024'],
      language: 'ja',
      body: '## 「高い」の本当の意味\n本文です。',
      contentHash: knowledgeContentHash('価格反論「高い」への対応', '## 「高い」の本当の意味\n本文です。'),
      sourcePath: 'knowledge/objection-price.md',
      format: 'markdown',
    });
    expect(source.contentHash).toMatch(/^[a-f0-9]{64}$/);
  });

  it('hashes the same text the same way whatever the line endings', () => {
    const a = parseKnowledgeMarkdown(file, 'a.md');
    const b = parseKnowledgeMarkdown(file.replace(/\n/g, '\r\n'), 'a.md');
    expect(b.contentHash).toBe(a.contentHash);
    expect(parseKnowledgeMarkdown(file.replace('本文です。', '本文です!'), 'a.md').contentHash).not.toBe(
      a.contentHash,
    );
  });

  it('takes a file without front matter: title from the first heading, language detected, no tags', () => {
    const ja = parseKnowledgeMarkdown(
      '# 値引き交渉のコツ\n\n値引きは最後の手段です。',
      'docs/Discount Tips.md',
    );
    expect(ja).toMatchObject({
      documentId: 'discount-tips',
      title: '値引き交渉のコツ',
      language: 'ja',
      tags: [],
    });
    const en = parseKnowledgeMarkdown('Intro line\n\n## Pricing\nWe price per seat.', 'docs/pricing.md');
    expect(en).toMatchObject({ title: 'Pricing', language: 'en' });
    const text = parseKnowledgeMarkdown(
      '# not a heading in a text file\nplain words here',
      'docs/notes.txt',
      'text',
    );
    expect(text).toMatchObject({ title: 'notes', format: 'text', language: 'en' });
    const partial = parseKnowledgeMarkdown('---\ntags: [価格]\n---\n本文です。', 'docs/製品資料.md');
    expect(partial).toMatchObject({ title: '製品資料', tags: ['価格'], language: 'ja' });
    expect(partial.documentId).toMatch(/^doc-[a-f0-9]{10}$/);
  });

  it('names the file in every error', () => {
    const cases: [string, string, RegExp][] = [
      ['empty.md', '---\ntitle: T\n---\n   \n', /no text/],
      ['bad-yaml.md', '---\ntitle: [unclosed\n---\nbody', /not valid YAML/],
      ['bad-title.md', '---\ntitle: ""\nlanguage: ja\n---\nbody', /title/],
      ['bad-language.md', '---\ntitle: T\nlanguage: fr\n---\nbody', /language/],
    ];
    for (const [name, text, problem] of cases) {
      const error = errorOf(() => parseKnowledgeMarkdown(text, `docs/${name}`));
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toContain(`docs/${name}`);
      expect(error.message).toMatch(problem);
    }
  });
});
