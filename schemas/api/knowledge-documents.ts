import { z } from 'zod';
import { KnowledgeDocumentPublishedData, KnowledgeFormat } from '../events/knowledge.ts';

/** The largest knowledge file accepted by upload (PDF and PowerPoint files run large). */
export const knowledgeUploadMaxBytes = 20 * 1024 * 1024;

/** Where files are uploaded: the API and the dashboard's form. They set their own body limit. */
export const knowledgeUploadApiPath = '/api/v1/knowledge/documents';
export const knowledgeUploadPagePath = '/dashboard/knowledge/documents';

/** `POST /api/v1/knowledge/documents` and the dashboard's upload form (multipart/form-data). */
export const KnowledgeUploadForm = z.object({
  file: z.file().describe('A .md, .txt, .pdf, .docx or .pptx file'),
  documentId: KnowledgeDocumentPublishedData.shape.documentId
    .max(128)
    .optional()
    .describe('Publish as (a new version of) this document; default: the slug of the file name'),
  title: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .describe('Default: front matter, first heading, file name'),
  tags: z.string().max(1000).optional().describe('Comma-separated'),
  language: z.enum(['ja', 'en']).optional().describe('Default: detected'),
});
export type KnowledgeUploadForm = z.infer<typeof KnowledgeUploadForm>;

export const KnowledgeDocumentPublishResult = z.object({
  documentId: z.string(),
  version: z.number().int().positive(),
  /** `unchanged`: the same content, tags and language are already published (nothing appended). */
  status: z.enum(['published', 'updated', 'unchanged']),
  title: z.string(),
  language: z.enum(['ja', 'en']),
  format: KnowledgeFormat,
  tags: z.array(z.string()),
});
export type KnowledgeDocumentPublishResult = z.infer<typeof KnowledgeDocumentPublishResult>;

export const KnowledgeRetractQuery = z.object({
  reason: z.string().trim().min(1).max(1000).optional().describe('Why (kept in the event)'),
});

export const KnowledgeDocumentRetractResult = z.object({
  documentId: z.string(),
  /** `already retracted`: nothing appended. */
  status: z.enum(['retracted', 'already retracted']),
});
export type KnowledgeDocumentRetractResult = z.infer<typeof KnowledgeDocumentRetractResult>;
