import type { KnowledgeField } from './postings.ts';

/**
 * BM25F: a term's frequency is weighted and length-normalised per field, summed, then
 * saturated once (so a term in title and body is not counted as two terms). A title match
 * outweighs a section heading or a tag, which outweigh a body match; short fields normalise less.
 */
export type Bm25Parameters = {
  k1: number;
  fields: Readonly<Record<KnowledgeField, { weight: number; b: number }>>;
};

export const bm25Defaults: Bm25Parameters = {
  k1: 1.2,
  fields: {
    title: { weight: 3, b: 0.5 },
    heading: { weight: 2, b: 0.5 },
    tags: { weight: 2, b: 0.5 },
    body: { weight: 1, b: 0.75 },
  },
};
