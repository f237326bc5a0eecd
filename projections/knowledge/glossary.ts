import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import { tokenize } from './tokenize.ts';

/** The glossary that ships with the product, beside the starter knowledge base. */
export const shippedGlossaryPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../knowledge/glossary.yaml',
);

type Phrase = { text: string; terms: readonly string[] };
/** Groups of phrases that mean the same thing to a rep; each phrase with its search terms. */
export type Glossary = { groups: readonly (readonly Phrase[])[] };

/** How much an expanded term counts against a word the rep typed. */
export const expansionWeight = 0.5;

const GlossaryFile = z.array(z.array(z.union([z.string(), z.number()]).transform(String)).min(2)).nullable();

/** A glossary from YAML: a list of groups, each a list of two or more phrases. */
export const parseGlossary = (yaml: string, source: string): Glossary => {
  let raw: unknown;
  try {
    raw = parseYaml(yaml);
  } catch (error) {
    throw new AppError('VALIDATION', `${source}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = GlossaryFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      `${source}: a glossary is a list of groups, each a list of two or more words: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
    );
  }
  return {
    groups: (parsed.data ?? [])
      .map((group) =>
        group
          .map((text) => ({ text, terms: [...new Set(tokenize(text))] }))
          .filter((p) => p.terms.length > 0),
      )
      .filter((group) => group.length >= 2),
  };
};

export const mergeGlossaries = (...glossaries: Glossary[]): Glossary => ({
  groups: glossaries.flatMap((g) => g.groups),
});

/** The shipped glossary followed by each of `files`. */
export const loadGlossary = async (files: readonly string[] = []): Promise<Glossary> => {
  const all = [shippedGlossaryPath, ...files];
  return mergeGlossaries(
    ...(await Promise.all(all.map(async (file) => parseGlossary(await readFile(file, 'utf8'), file)))),
  );
};

let active: Glossary | undefined;

/** Makes `glossary` the one searches use by default in this process (set once at start-up). */
export const useGlossary = (glossary: Glossary): void => {
  active = glossary;
};

/** The glossary searches use by default: the one set by `useGlossary`, else the shipped one. */
export const activeGlossary = (): Glossary => {
  active ??= parseGlossary(readFileSync(shippedGlossaryPath, 'utf8'), shippedGlossaryPath);
  return active;
};

export type WeightedTerm = { term: string; weight: number };

/**
 * The query's terms (weight 1), then the terms of every glossary phrase whose group has a phrase
 * all of whose terms are in the query (weight `expansionWeight`, unless typed as well).
 */
export const expandQuery = (query: string, glossary: Glossary): WeightedTerm[] => {
  const typed = [...new Set(tokenize(query))];
  const present = new Set(typed);
  const weights = new Map<string, number>(typed.map((term) => [term, 1]));
  for (const group of glossary.groups) {
    if (!group.some((phrase) => phrase.terms.every((term) => present.has(term)))) continue;
    for (const phrase of group) {
      for (const term of phrase.terms) if (!weights.has(term)) weights.set(term, expansionWeight);
    }
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
};
