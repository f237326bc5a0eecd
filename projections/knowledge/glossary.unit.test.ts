import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../schemas/errors.ts';
import {
  expandQuery,
  expansionWeight,
  loadGlossary,
  parseGlossary,
  shippedGlossaryPath,
} from './glossary.ts';

const glossary = parseGlossary(
  `
- [値引き, ディスカウント, discount, lower the price]
- [稟議, 社内承認, internal approval]
`,
  'test.yaml',
);
const termsOf = (query: string) =>
  Object.fromEntries(expandQuery(query, glossary).map((t) => [t.term, t.weight]));

describe('the sales glossary', () => {
  it('adds the other words of a group when a whole phrase is in the query, at a lower weight', () => {
    expect(termsOf('can you lower the price?')).toMatchObject({
      lower: 1,
      pric: 1, // terms are stemmed
      値引: expansionWeight,
      ディスカウント: expansionWeight,
      discount: expansionWeight,
    });
    expect(termsOf('稟議の通し方')).toMatchObject({
      稟議: 1,
      社内: expansionWeight,
      approval: expansionWeight,
    });
  });

  it('adds nothing for part of a phrase, nor for words in no group', () => {
    expect(termsOf('the price list')).toEqual({ pric: 1, list: 1 });
    expect(termsOf('internal memo')).toEqual({ internal: 1, memo: 1 });
  });

  it('keeps a typed word at full weight even when a group also brings it', () => {
    expect(termsOf('discount 値引き')).toMatchObject({ discount: 1, 値引: 1, 引き: 1 });
  });

  it('refuses a file that is not a list of groups, naming it', () => {
    for (const yaml of ['key: value', '- [only-one]', '- [a, [b]]', '[unclosed']) {
      let error: unknown;
      try {
        parseGlossary(yaml, 'extra/glossary.yaml');
      } catch (e) {
        error = e;
      }
      expect(isAppError(error, 'VALIDATION'), yaml).toBe(true);
      expect((error as Error).message).toContain('extra/glossary.yaml');
    }
    expect(parseGlossary('', 'empty.yaml')).toEqual({ groups: [] });
  });

  it('ships a valid glossary and lets administrators add their own file after it', async () => {
    const shipped = parseGlossary(await readFile(shippedGlossaryPath, 'utf8'), shippedGlossaryPath);
    expect(shipped.groups.length).toBeGreaterThan(30);
    const extended = await loadGlossary([new URL('./glossary.unit.test.yaml', import.meta.url).pathname]);
    expect(extended.groups.length).toBe(shipped.groups.length + 1);
    expect(expandQuery('うちの新製品Zeta', extended).map((t) => t.term)).toContain('alpha');
  });
});
