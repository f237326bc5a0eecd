import type {
  KnowledgeDocumentPublishResult,
  KnowledgeDocumentRetractResult,
} from '../../schemas/api/knowledge-documents.ts';
import type { CommandMetadata } from '../../schemas/commands.ts';
import type { Actor } from '../../schemas/events/index.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { knowledgeContentHash } from './content-hash.ts';
import { handleKnowledgeCommand, knowledgeStreamId } from './decider.ts';
import { parseKnowledgeFile } from './read-file.ts';

export type KnowledgeWriterDeps = { store: EventStore; codec: EventCodec; clock?: () => Date };

/** Where an uploaded document came from (seed-knowledge never retracts these as "file removed"). */
export const uploadSourcePrefix = 'upload:';

export type KnowledgeUpload = {
  fileName: string;
  bytes: Uint8Array;
  documentId?: string | undefined;
  title?: string | undefined;
  tags?: string[] | undefined;
  language?: 'ja' | 'en' | undefined;
};

const metadata = (deps: KnowledgeWriterDeps, actor: Actor, key: string): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: key,
  causationId: null,
  now: (deps.clock ?? (() => new Date()))().toISOString(),
  actor,
});

/**
 * Publishes an uploaded file through the knowledge decider: read as seed-knowledge reads files
 * (a file that cannot be read is a VALIDATION error naming it), with the form's overrides. The
 * same content again appends nothing.
 */
export const publishKnowledgeUpload = async (
  deps: KnowledgeWriterDeps,
  upload: KnowledgeUpload,
  actor: Actor,
): Promise<KnowledgeDocumentPublishResult> => {
  const source = await parseKnowledgeFile(upload.bytes, upload.fileName);
  const title = upload.title ?? source.title;
  const documentId = upload.documentId ?? source.documentId;
  const tags = upload.tags ?? source.tags;
  const language = upload.language ?? source.language;
  const contentHash = knowledgeContentHash(title, source.body);
  const revision = (await deps.store.readStream(knowledgeStreamId(documentId))).length;
  const result = await handleKnowledgeCommand(
    deps.store,
    deps.codec,
    {
      type: 'PublishKnowledgeDocument',
      documentId,
      title,
      body: source.body,
      tags,
      language,
      contentHash,
      sourcePath: `${uploadSourcePrefix}${upload.fileName}`,
      format: source.format,
    },
    metadata(
      deps,
      actor,
      `knowledge-upload:${documentId}:${revision}:${contentHash}:${language}:${tags.join(',')}`,
    ),
  );
  const event = result.events.find((e) => e.type === 'KnowledgeDocumentPublished');
  const version = event?.type === 'KnowledgeDocumentPublished' ? event.data.documentVersion : undefined;
  const state = result.state;
  return {
    documentId,
    version: version ?? (state.status === 'missing' ? 1 : state.version),
    status: version === undefined ? 'unchanged' : version === 1 ? 'published' : 'updated',
    title,
    language,
    format: source.format,
    tags,
  };
};

/** Retracts a document; retracting one never published is NOT_FOUND. */
export const retractKnowledge = async (
  deps: KnowledgeWriterDeps,
  documentId: string,
  reason: string,
  actor: Actor,
): Promise<KnowledgeDocumentRetractResult> => {
  const revision = (await deps.store.readStream(knowledgeStreamId(documentId))).length;
  const result = await handleKnowledgeCommand(
    deps.store,
    deps.codec,
    { type: 'RetractKnowledgeDocument', documentId, reason },
    metadata(deps, actor, `knowledge-retract:${documentId}:${revision}`),
  );
  return { documentId, status: result.events.length > 0 ? 'retracted' : 'already retracted' };
};

/** Tags from a comma-separated form field (both `,` and `、`), trimmed, without duplicates. */
export const tagsFromField = (field: string | undefined): string[] | undefined => {
  if (field === undefined || field.trim() === '') return undefined;
  return [
    ...new Set(
      field
        .split(/[,、，]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
};
