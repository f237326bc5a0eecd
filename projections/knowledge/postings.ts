import { createHash } from 'node:crypto';
import type { KnowledgeDocumentPublishedData } from '../../schemas/events/index.ts';
import { type Passage, passagesOf } from './passages.ts';
import { tokenize } from './tokenize.ts';

export const knowledgeFields = ['title', 'heading', 'tags', 'body'] as const;
export type KnowledgeField = (typeof knowledgeFields)[number];

export type PassagePostings = Passage & {
  lengths: Record<KnowledgeField, number>;
  /** What an embedding of the passage is stored under: the same text embeds once, whatever its document. */
  embeddingKey: string;
};

/** The text a passage is embedded from (its document's title, then the passage). */
export const embeddingText = (title: string, passage: Passage): string => `${title}\n${passage.text}`;

export const embeddingKeyOf = (text: string): string => createHash('sha256').update(text).digest('hex');

export type Postings = {
  passages: PassagePostings[];
  /** Parallel arrays, ready for `unnest`. */
  passageNos: number[];
  fields: KnowledgeField[];
  terms: string[];
  tfs: number[];
};

/**
 * The search terms of each passage of a document by field, with their frequencies and the field
 * lengths. The heading line is the heading field, not part of the body.
 */
export const postingsOf = (document: KnowledgeDocumentPublishedData): Postings => {
  const postings: Postings = { passages: [], passageNos: [], fields: [], terms: [], tfs: [] };
  const title = tokenize(document.title);
  const tags = tokenize(document.tags.join('\n'));
  for (const passage of passagesOf(document.body, document.format)) {
    const body = passage.text.replace(/^#{1,6}[ \t]+.*\n?/, '');
    const fields: Record<KnowledgeField, string[]> = {
      title,
      heading: tokenize(passage.heading ?? ''),
      tags,
      body: tokenize(body),
    };
    const lengths = { title: 0, heading: 0, tags: 0, body: 0 };
    for (const field of Object.keys(fields) as KnowledgeField[]) {
      const terms = fields[field];
      lengths[field] = terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        postings.passageNos.push(passage.passageNo);
        postings.fields.push(field);
        postings.terms.push(term);
        postings.tfs.push(tf);
      }
    }
    postings.passages.push({
      ...passage,
      lengths,
      embeddingKey: embeddingKeyOf(embeddingText(document.title, passage)),
    });
  }
  return postings;
};
