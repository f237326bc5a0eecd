import type { CommandMetadata } from '../../schemas/commands.ts';
import type { KnowledgeCommand } from '../../schemas/knowledge-commands.ts';
import { type Decider, type HandleResult, type HandlerOptions, handleCommand } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { decideKnowledge, type KnowledgeContext } from './decide.ts';
import { evolveKnowledge, initialKnowledgeState, type KnowledgeState } from './state.ts';

export const knowledgeDecider: Decider<KnowledgeState> = {
  initialState: initialKnowledgeState,
  evolve: evolveKnowledge,
};

/** One stream per document. */
export const knowledgeStreamId = (documentId: string): string => `knowledge-${documentId}`;

export const decideKnowledgeWith =
  (command: KnowledgeCommand, context: KnowledgeContext) =>
  (state: KnowledgeState): EventDraft[] =>
    decideKnowledge(command, state, context);

/** Runs a knowledge command against its document's stream. */
export const handleKnowledgeCommand = (
  store: EventStore,
  codec: EventCodec,
  command: KnowledgeCommand,
  metadata: CommandMetadata,
  options?: HandlerOptions,
): Promise<HandleResult<KnowledgeState>> =>
  handleCommand(
    store,
    codec,
    knowledgeStreamId(command.documentId),
    knowledgeDecider,
    decideKnowledgeWith(command, { metadata }),
    metadata,
    options,
  );
