import type pg from 'pg';
import type { KnowledgeDocument } from '../blocks/document.ts';

const undefinedTable = '42P01';

/**
 * One live knowledge document, whole, from the knowledge read model (null when it does not
 * exist, was retracted, or the read model is not built yet).
 * TODO(lead): belongs in projections/knowledge/queries as `findKnowledgeDocument`.
 */
export const findKnowledgeDocument = async (
  pool: pg.Pool,
  documentId: string,
): Promise<KnowledgeDocument | null> => {
  try {
    const { rows } = await pool.query<{
      document_id: string;
      title: string;
      body: string;
      tags: string[];
      document_version: number;
    }>(
      `SELECT document_id, title, body, tags, document_version FROM knowledge_documents
        WHERE document_id = $1 AND retracted_at IS NULL`,
      [documentId],
    );
    const row = rows[0];
    return row
      ? {
          documentId: row.document_id,
          title: row.title,
          body: row.body,
          tags: row.tags,
          version: row.document_version,
        }
      : null;
  } catch (error) {
    if ((error as { code?: string }).code === undefinedTable) return null;
    throw error;
  }
};
