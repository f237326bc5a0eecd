import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { KnowledgeCommand, KnowledgeCommandOf } from '../../schemas/knowledge-commands.ts';
import type { EventDraft } from '../event-draft.ts';
import { knowledgeContentHash } from './content-hash.ts';
import type { KnowledgeState } from './state.ts';

export type KnowledgeContext = { metadata: CommandMetadata };

const sameTags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((tag, i) => tag === b[i]);

/**
 * Publishing what is already live is a no-op. "The same" is the content hash (title and body)
 * and also tags and language, which the hash leaves out but search ranks by. A retracted
 * document comes back as the next version even when unchanged.
 */
const publish = (
  command: KnowledgeCommandOf<'PublishKnowledgeDocument'>,
  state: KnowledgeState,
  { metadata }: KnowledgeContext,
): EventDraft[] => {
  if (command.contentHash !== knowledgeContentHash(command.title, command.body)) {
    throw new AppError(
      'VALIDATION',
      `document ${command.documentId}: contentHash does not match title and body`,
    );
  }
  if (
    state.status === 'published' &&
    state.contentHash === command.contentHash &&
    state.language === command.language &&
    sameTags(state.tags, command.tags)
  ) {
    return [];
  }
  const { type: _type, ...document } = command;
  return [
    {
      type: 'KnowledgeDocumentPublished',
      data: {
        ...document,
        documentVersion: state.status === 'missing' ? 1 : state.version + 1,
        publishedAt: metadata.now,
      },
    },
  ];
};

/** Retracting twice is a no-op; retracting what was never published is NOT_FOUND (likely a typo). */
const retract = (
  command: KnowledgeCommandOf<'RetractKnowledgeDocument'>,
  state: KnowledgeState,
  { metadata }: KnowledgeContext,
): EventDraft[] => {
  if (state.status === 'missing') {
    throw new AppError('NOT_FOUND', `knowledge document ${command.documentId} has never been published`);
  }
  if (state.status === 'retracted') return [];
  return [
    {
      type: 'KnowledgeDocumentRetracted',
      data: { documentId: command.documentId, reason: command.reason, retractedAt: metadata.now },
    },
  ];
};

/** The knowledge decider: one pure function per command. */
export const decideKnowledge = (
  command: KnowledgeCommand,
  state: KnowledgeState,
  context: KnowledgeContext,
): EventDraft[] => {
  switch (command.type) {
    case 'PublishKnowledgeDocument':
      return publish(command, state, context);
    case 'RetractKnowledgeDocument':
      return retract(command, state, context);
    default: {
      const exhaustive: never = command;
      throw new AppError('VALIDATION', `unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
};
