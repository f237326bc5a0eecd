import type pg from 'pg';
import { searchKnowledge } from '../../../projections/knowledge/search.ts';
import type { Logger } from '../../../schemas/logger.ts';
import type { KnowledgeRetriever } from '../../../write/agent/ports.ts';

const undefinedTable = '42P01';

/**
 * Knowledge for the agent from the knowledge read model: the search's ranking and snippets,
 * plus each hit's whole body (the model grounds its advice better on the document than on a
 * snippet). Before the knowledge projection has created its tables there is nothing to find.
 */
export const createKnowledgeRetriever = (pool: pg.Pool, logger: Logger): KnowledgeRetriever => {
  let warned = false;
  return async (query, limit) => {
    try {
      const hits = await searchKnowledge(pool, query, { limit: Math.min(Math.max(limit, 1), 50) });
      if (hits.length === 0) return [];
      const { rows } = await pool.query<{ document_id: string; body: string }>(
        'SELECT document_id, body FROM knowledge_documents WHERE document_id = ANY($1::text[])',
        [hits.map((h) => h.documentId)],
      );
      const bodies = new Map(rows.map((r) => [r.document_id, r.body]));
      return hits.map((hit) => {
        const body = bodies.get(hit.documentId);
        return {
          id: hit.documentId,
          title: hit.title,
          snippet: hit.snippet,
          version: hit.documentVersion,
          score: hit.score,
          ...(hit.section.label ? { section: hit.section.label } : {}),
          ...(body !== undefined ? { body } : {}),
        };
      });
    } catch (error) {
      if ((error as { code?: string }).code === undefinedTable) {
        if (!warned)
          logger.warn('agent: the knowledge read model does not exist yet; answering without documents');
        warned = true;
        return [];
      }
      throw error;
    }
  };
};
