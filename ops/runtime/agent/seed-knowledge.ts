import path from 'node:path';
import type pg from 'pg';
import type { CommandMetadata } from '../../../schemas/commands.ts';
import type { EventCodec } from '../../../write/event-store/codec.ts';
import type { EventStore, Position } from '../../../write/event-store/port.ts';
import { handleKnowledgeCommand, knowledgeStreamId } from '../../../write/knowledge/decider.ts';
import { documentIdOf } from '../../../write/knowledge/document-id.ts';
import { readKnowledgeDirectory } from '../../../write/knowledge/read-file.ts';
import type { KnowledgeFailure, KnowledgeSource } from '../../../write/knowledge/source.ts';
import { uploadSourcePrefix } from '../../../write/knowledge/upload.ts';

export type SeedKnowledgeDeps = {
  store: EventStore;
  codec: EventCodec;
  clock?: () => Date;
  /** Who seeds, in the events' actor (`ops`). */
  actorId?: string;
  /** Ids of every knowledge document; default: a scan of the store (pgKnowledgeDocumentIds is faster and fresher). */
  documentIds?: () => Promise<string[]>;
};

export type SeedKnowledgeOptions = {
  /** Retract published documents whose file (in this directory) is gone. */
  retractMissing?: boolean;
  /** Source paths are recorded relative to this directory (default: the working directory). */
  baseDir?: string;
};

export type SeedKnowledgeSummary = {
  published: string[];
  updated: string[];
  unchanged: string[];
  retracted: string[];
  /** Files that could not be read, each with a message naming it; the others were published. */
  failed: KnowledgeFailure[];
};

const knowledgeTypes: readonly string[] = ['KnowledgeDocumentPublished', 'KnowledgeDocumentRetracted'];

const metadata = (deps: SeedKnowledgeDeps, key: string): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: 'seed-knowledge',
  causationId: null,
  now: (deps.clock ?? (() => new Date()))().toISOString(),
  actor: { kind: 'ops', id: deps.actorId ?? 'seed-knowledge' },
});

const relativePath = (baseDir: string, file: string) =>
  path.relative(baseDir, path.resolve(file)).split(path.sep).join('/');

/**
 * The document's stream length goes into the idempotency key: two seeders racing on the same
 * file produce the same events (one append wins, the other is recognised as a repeat), while a
 * document retracted and published again gets new event ids.
 */
const publish = async (deps: SeedKnowledgeDeps, source: KnowledgeSource, baseDir: string) => {
  const revision = (await deps.store.readStream(knowledgeStreamId(source.documentId))).length;
  const result = await handleKnowledgeCommand(
    deps.store,
    deps.codec,
    {
      type: 'PublishKnowledgeDocument',
      documentId: source.documentId,
      title: source.title,
      body: source.body,
      tags: source.tags,
      language: source.language,
      contentHash: source.contentHash,
      sourcePath: relativePath(baseDir, source.sourcePath),
      format: source.format,
    },
    metadata(deps, `seed-knowledge:${source.documentId}:${revision}:${source.contentHash}`),
  );
  const event = result.events.find((e) => e.type === 'KnowledgeDocumentPublished');
  if (event?.type !== 'KnowledgeDocumentPublished') return 'unchanged' as const;
  return event.data.documentVersion === 1 ? ('published' as const) : ('updated' as const);
};

type KnownDocument = { documentId: string; live: boolean; sourcePath: string | null; revision: number };

/**
 * Ids of every knowledge document stream, straight from the Postgres store's stream table:
 * unlike a read of the global order, it also sees what was appended a moment ago while some
 * long transaction elsewhere holds subscribers back.
 */
export const pgKnowledgeDocumentIds = (pool: pg.Pool) => async (): Promise<string[]> => {
  const { rows } = await pool.query<{ stream_id: string }>(
    "SELECT stream_id FROM es_streams WHERE stream_id LIKE 'knowledge-%' ORDER BY stream_id",
  );
  return rows.map((r) => r.stream_id.slice('knowledge-'.length));
};

/** Ids of documents in the store's global order: works on any store, for an ops command. */
const scannedDocumentIds = async (store: EventStore): Promise<string[]> => {
  const ids = new Set<string>();
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: 1000, types: knowledgeTypes });
    for (const record of page) {
      if (knowledgeTypes.includes(record.type) && record.streamId.startsWith('knowledge-'))
        ids.add(record.streamId.slice('knowledge-'.length));
    }
    const last = page.at(-1);
    if (!last || page.length < 1000) break;
    after = last.position;
  }
  return [...ids];
};

/** Every knowledge document the event store knows, with its latest state (read from its stream). */
export const knownDocuments = async (deps: SeedKnowledgeDeps): Promise<KnownDocument[]> => {
  const ids = await (deps.documentIds ?? (() => scannedDocumentIds(deps.store)))();
  const documents: KnownDocument[] = [];
  for (const documentId of ids) {
    const records = await deps.store.readStream(knowledgeStreamId(documentId));
    const known: KnownDocument = { documentId, live: false, sourcePath: null, revision: records.length };
    for (const record of records) {
      const event = await deps.codec.decode(record);
      if (event.type === 'KnowledgeDocumentPublished') {
        known.live = true;
        known.sourcePath = event.data.sourcePath;
      } else if (event.type === 'KnowledgeDocumentRetracted') known.live = false;
    }
    documents.push(known);
  }
  return documents;
};

/**
 * Publishes every knowledge file of `dir` (Markdown, text, PDF, Word, PowerPoint) through the knowledge decider: a new file is
 * published as version 1, a changed one as its next version, an unchanged one not at all (the
 * content hash), so running it twice publishes nothing the second time. With `retractMissing`,
 * documents published from this directory whose file is gone are retracted.
 */
export const seedKnowledge = async (
  deps: SeedKnowledgeDeps,
  dir: string,
  options: SeedKnowledgeOptions = {},
): Promise<SeedKnowledgeSummary> => {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const { sources, failures } = await readKnowledgeDirectory(dir);
  const summary: SeedKnowledgeSummary = {
    published: [],
    updated: [],
    unchanged: [],
    retracted: [],
    failed: failures,
  };
  for (const source of sources) summary[await publish(deps, source, baseDir)].push(source.documentId);

  if (options.retractMissing) {
    // A file that is there but unreadable is not "gone": its document stays published.
    const present = new Set(
      [...sources, ...failures].map((s) => ('documentId' in s ? s.documentId : documentIdOf(s.sourcePath))),
    );
    const directory = path.resolve(dir);
    for (const doc of await knownDocuments(deps)) {
      if (!doc.live || present.has(doc.documentId) || doc.sourcePath === null) continue;
      if (doc.sourcePath.startsWith(uploadSourcePrefix)) continue;
      if (path.dirname(path.resolve(baseDir, doc.sourcePath)) !== directory) continue;
      const result = await handleKnowledgeCommand(
        deps.store,
        deps.codec,
        {
          type: 'RetractKnowledgeDocument',
          documentId: doc.documentId,
          reason: `file removed: ${doc.sourcePath}`,
        },
        metadata(deps, `seed-knowledge:retract:${doc.documentId}:${doc.revision}`),
      );
      if (result.events.length > 0) summary.retracted.push(doc.documentId);
    }
  }
  return summary;
};

/** True when none of the directory's documents has ever been published (nor retracted). */
export const noneSeeded = async (store: EventStore, dir: string): Promise<boolean> => {
  const { sources } = await readKnowledgeDirectory(dir);
  for (const source of sources) {
    if ((await store.readStream(knowledgeStreamId(source.documentId), { maxCount: 1 })).length > 0)
      return false;
  }
  return true;
};
