import { defineProjection } from '../projection.ts';
import { applyKnowledgeEvent } from './apply.ts';
import { knowledgeDdl, knowledgeTables } from './ddl.ts';

/**
 * The knowledge base read model: documents, their passages and the passages' search postings.
 * Bump `version` whenever the tokenizer or the passage split changes, since the postings are
 * their output.
 */
export const knowledgeProjection = defineProjection({
  name: 'knowledge',
  version: 2,
  tables: knowledgeTables,
  handles: ['KnowledgeDocumentPublished', 'KnowledgeDocumentRetracted'],
  ddl: knowledgeDdl,
  apply: applyKnowledgeEvent,
  // Cached search results (read API, scope `knowledge`) go stale with any published or retracted document.
  cacheScopes: () => ['knowledge'],
});
