import { defineProjection } from '../projection.ts';
import { applyKnowledgeEvent } from './apply.ts';
import { knowledgeDdl, knowledgeTables } from './ddl.ts';

/**
 * The knowledge base read model: documents and their search postings. Bump `version` whenever
 * the tokenizer changes, since the postings are its output.
 */
export const knowledgeProjection = defineProjection({
  name: 'knowledge',
  version: 1,
  tables: knowledgeTables,
  handles: ['KnowledgeDocumentPublished', 'KnowledgeDocumentRetracted'],
  ddl: knowledgeDdl,
  apply: applyKnowledgeEvent,
});
