import type { KnowledgeFormat } from '../../schemas/events/index.ts';

/** A knowledge document read from a file, ready to publish. */
export type KnowledgeSource = {
  /** The slug of the file name (`objection-price.md` → `objection-price`). */
  documentId: string;
  title: string;
  tags: string[];
  language: 'ja' | 'en';
  /** Markdown; pages and slides separated by a form feed. */
  body: string;
  contentHash: string;
  sourcePath: string;
  format: KnowledgeFormat;
};

/** A file that could not be read, and why (the message names the file). */
export type KnowledgeFailure = { sourcePath: string; message: string };
