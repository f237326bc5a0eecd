import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandMetadata } from '../../schemas/commands.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { stampEvents } from '../../write/command-handler.ts';
import { decideKnowledge } from '../../write/knowledge/decide.ts';
import { readKnowledgeDirectory } from '../../write/knowledge/read-file.ts';
import type { KnowledgeSource } from '../../write/knowledge/source.ts';
import { initialKnowledgeState } from '../../write/knowledge/state.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const knowledgeDir = path.join(root, 'knowledge');
/** Queries written next to the documents they label: the search may be tuned on these. */
export const tuningQueriesPath = path.join(root, 'test/knowledge/tuning-queries.json');
/** Queries written from a rep's side before tuning, never tuned on. */
export const heldOutQueriesPath = path.join(root, 'test/knowledge/held-out-queries.json');

export const seedMetadata = (key: string, now = '2026-01-05T09:00:00.000Z'): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: 'seed-knowledge',
  causationId: null,
  now,
  actor: { kind: 'ops', id: 'test' },
});

/** The first-version events of documents, as the write side would append them. */
export const publishedEvents = (sources: readonly KnowledgeSource[]): SalesEvent[] =>
  sources.flatMap((source) => {
    const metadata = seedMetadata(`seed:${source.documentId}`);
    const drafts = decideKnowledge(
      { type: 'PublishKnowledgeDocument', ...source, sourcePath: path.relative(root, source.sourcePath) },
      initialKnowledgeState(),
      { metadata },
    );
    return stampEvents(drafts, metadata);
  });

/** Every document of knowledge/, parsed and published as version 1. */
export const corpusEvents = async (): Promise<SalesEvent[]> =>
  publishedEvents((await readKnowledgeDirectory(knowledgeDir)).sources);
