import { z } from 'zod';
import { KnowledgeDocumentPublishedData } from './events/knowledge.ts';

/**
 * Commands of the knowledge base (from `salesai seed-knowledge` and ops). The write side
 * assigns the version and the clock; the content hash lets a repeated publish be a no-op.
 */
export const PublishKnowledgeDocument = KnowledgeDocumentPublishedData.omit({
  documentVersion: true,
  publishedAt: true,
}).extend({ type: z.literal('PublishKnowledgeDocument') });

export const RetractKnowledgeDocument = z.object({
  type: z.literal('RetractKnowledgeDocument'),
  documentId: KnowledgeDocumentPublishedData.shape.documentId,
  reason: z.string().min(1).max(1000),
});

export const KnowledgeCommand = z.discriminatedUnion('type', [
  PublishKnowledgeDocument,
  RetractKnowledgeDocument,
]);
export type KnowledgeCommand = z.infer<typeof KnowledgeCommand>;
export type KnowledgeCommandOf<T extends KnowledgeCommand['type']> = Extract<KnowledgeCommand, { type: T }>;
