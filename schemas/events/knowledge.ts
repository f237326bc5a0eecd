import { z } from 'zod';
import { defineEvent } from './envelope.ts';

/**
 * The file a document was read from. Its body is Markdown in every case; PDF pages and
 * PowerPoint slides are separated by a form feed (U+000C), so that passages can name them.
 */
export const KnowledgeFormat = z.enum(['markdown', 'text', 'pdf', 'docx', 'pptx']);
export type KnowledgeFormat = z.infer<typeof KnowledgeFormat>;

/** Separates the pages of a PDF and the slides of a presentation in a document's body. */
export const knowledgePageBreak = '\f';

export const KnowledgeDocumentPublishedData = z.object({
  documentId: z.string().regex(/^[a-z0-9][a-z0-9-_/]*$/, 'lower-case slug'),
  /** 1, 2, …: a changed document publishes a new version. */
  documentVersion: z.number().int().positive(),
  title: z.string().min(1),
  body: z.string(),
  tags: z.array(z.string()),
  language: z.enum(['ja', 'en']),
  /** sha256 of title and body: publishing the same content twice is a no-op. */
  contentHash: z.string().regex(/^[a-f0-9]{64}$/),
  sourcePath: z.string().nullable(),
  /** Absent on documents published before other formats were accepted: Markdown. */
  format: KnowledgeFormat.optional(),
  publishedAt: z.iso.datetime({ offset: true }),
});
export type KnowledgeDocumentPublishedData = z.infer<typeof KnowledgeDocumentPublishedData>;

export const KnowledgeDocumentPublished = defineEvent({
  type: 'KnowledgeDocumentPublished',
  version: 1,
  schema: KnowledgeDocumentPublishedData,
  previous: {},
  personalFields: [],
  subjectOf: () => undefined,
});

export const KnowledgeDocumentRetractedData = z.object({
  documentId: z.string().min(1),
  reason: z.string(),
  retractedAt: z.iso.datetime({ offset: true }),
});
export type KnowledgeDocumentRetractedData = z.infer<typeof KnowledgeDocumentRetractedData>;

export const KnowledgeDocumentRetracted = defineEvent({
  type: 'KnowledgeDocumentRetracted',
  version: 1,
  schema: KnowledgeDocumentRetractedData,
  previous: {},
  personalFields: [],
  subjectOf: () => undefined,
});
