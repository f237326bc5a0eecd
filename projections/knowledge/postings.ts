import type { KnowledgeDocumentPublishedData } from '../../schemas/events/index.ts';
import { tokenize } from './tokenize.ts';

export const knowledgeFields = ['title', 'tags', 'body'] as const;
export type KnowledgeField = (typeof knowledgeFields)[number];

export type Postings = {
  /** Parallel arrays, ready for `unnest`. */
  fields: KnowledgeField[];
  terms: string[];
  tfs: number[];
  lengths: Record<KnowledgeField, number>;
};

const fieldText = (document: KnowledgeDocumentPublishedData, field: KnowledgeField): string =>
  field === 'tags' ? document.tags.join('\n') : document[field];

/** The search terms of a document by field, with their frequencies and the field lengths. */
export const postingsOf = (document: KnowledgeDocumentPublishedData): Postings => {
  const postings: Postings = { fields: [], terms: [], tfs: [], lengths: { title: 0, tags: 0, body: 0 } };
  for (const field of knowledgeFields) {
    const terms = tokenize(fieldText(document, field));
    postings.lengths[field] = terms.length;
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      postings.fields.push(field);
      postings.terms.push(term);
      postings.tfs.push(tf);
    }
  }
  return postings;
};
