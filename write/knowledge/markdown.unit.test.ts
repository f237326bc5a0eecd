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

  it('names the file in every error', () => {
    const cases: [string, string, RegExp][] = [
      ['no-front-matter.md', '# Title\nbody', /no front matter/],
      ['bad-yaml.md', '---\ntitle: [unclosed\n---\nbody', /not valid YAML/],
      ['no-title.md', '---\ntags: [a]\nlanguage: ja\n---\nbody', /title/],
      ['bad-language.md', '---\ntitle: T\nlanguage: fr\n---\nbody', /language/],
      ['Bad Name.md', file, /lower-case slug/],
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
