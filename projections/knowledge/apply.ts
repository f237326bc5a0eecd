import type {
  KnowledgeDocumentPublishedData,
  KnowledgeDocumentRetractedData,
  SalesEvent,
} from '../../schemas/events/index.ts';
import type { ApplyContext } from '../projection.ts';
import type { KnowledgeTable } from './ddl.ts';
import { postingsOf } from './postings.ts';

type Context = ApplyContext<KnowledgeTable>;

/**
 * A version replaces the row only when it is newer, so a redelivered or late older version
 * changes nothing; the document's passages and postings are rewritten in the same transaction.
 */
const publish = async (data: KnowledgeDocumentPublishedData, { client, tables, position }: Context) => {
  const updated = await client.query(
    `INSERT INTO ${tables.knowledge_documents} AS d (document_id, document_version, title, body, tags, language,
       format, content_hash, source_path, published_at, last_position_commit, last_position_prepare)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (document_id) DO UPDATE SET
       document_version = EXCLUDED.document_version, title = EXCLUDED.title, body = EXCLUDED.body,
       tags = EXCLUDED.tags, language = EXCLUDED.language, format = EXCLUDED.format,
       content_hash = EXCLUDED.content_hash,
       source_path = EXCLUDED.source_path, published_at = EXCLUDED.published_at,
       retracted_at = NULL, retraction_reason = NULL,
       last_position_commit = EXCLUDED.last_position_commit,
       last_position_prepare = EXCLUDED.last_position_prepare
     WHERE d.document_version < EXCLUDED.document_version
     RETURNING document_id`,
    [
      data.documentId,
      data.documentVersion,
      data.title,
      data.body,
      data.tags,
      data.language,
      data.format ?? 'markdown',
      data.contentHash,
      data.sourcePath,
      data.publishedAt,
      position.commit.toString(),
      position.prepare.toString(),
    ],
  );
  if (updated.rowCount === 0) return;
  const postings = postingsOf(data);
  const passages = postings.passages;
  await client.query(`DELETE FROM ${tables.knowledge_passages} WHERE document_id = $1`, [data.documentId]);
  await client.query(
    `INSERT INTO ${tables.knowledge_passages} (document_id, passage_no, heading, page, slide, text,
       title_length, heading_length, tags_length, body_length, embedding_key)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::int[], $6::text[],
       $7::int[], $8::int[], $9::int[], $10::int[], $11::text[])`,
    [
      data.documentId,
      passages.map((p) => p.passageNo),
      passages.map((p) => p.heading),
      passages.map((p) => p.page),
      passages.map((p) => p.slide),
      passages.map((p) => p.text),
      passages.map((p) => p.lengths.title),
      passages.map((p) => p.lengths.heading),
      passages.map((p) => p.lengths.tags),
      passages.map((p) => p.lengths.body),
      passages.map((p) => p.embeddingKey),
    ],
  );
  await client.query(
    `INSERT INTO ${tables.knowledge_terms} (document_id, passage_no, field, term, tf)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[])`,
    [data.documentId, postings.passageNos, postings.fields, postings.terms, postings.tfs],
  );
};

/**
 * The event carries no version, so its position orders it: it retracts what was published
 * before it, never a version published after it (a redelivery during a replay).
 */
const retract = async (data: KnowledgeDocumentRetractedData, { client, tables, position }: Context) => {
  const updated = await client.query(
    `UPDATE ${tables.knowledge_documents}
     SET retracted_at = $2, retraction_reason = $3, last_position_commit = $4, last_position_prepare = $5
     WHERE document_id = $1 AND retracted_at IS NULL
       AND (last_position_commit, last_position_prepare) < ($4::numeric, $5::numeric)
     RETURNING document_id`,
    [data.documentId, data.retractedAt, data.reason, position.commit.toString(), position.prepare.toString()],
  );
  if (updated.rowCount === 0) return;
  await client.query(`DELETE FROM ${tables.knowledge_passages} WHERE document_id = $1`, [data.documentId]);
};

export const applyKnowledgeEvent = async (event: SalesEvent, context: Context): Promise<void> => {
  switch (event.type) {
    case 'KnowledgeDocumentPublished':
      return publish(event.data, context);
    case 'KnowledgeDocumentRetracted':
      return retract(event.data, context);
    default:
      return;
  }
};
